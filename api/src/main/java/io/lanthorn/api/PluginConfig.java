package io.lanthorn.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plugin's own configuration section, read-only: its {@code reference.conf} defaults, overridden
 * by the user's file, the environment and command-line flags, checked against the reference
 * (unknown keys and wrong types were rejected before the plugin sees it). Paths are relative to the
 * section: {@code getString("path")} in {@code sink-sqlite} reads {@code sink-sqlite.path}.
 *
 * <p>The values are typed as the reference's are, so a getter fails only for a path the reference
 * does not define or a value of another type, which is the plugin's own mistake; it then throws
 * {@link PluginConfigException} naming the full path.
 */
public interface PluginConfig {

  /** The section's name, which is the plugin's name. */
  String section();

  /** Whether the path has a value other than {@code null}. */
  boolean hasPath(String path);

  /** A string; numbers and booleans are returned as their text. */
  String getString(String path);

  /** A boolean; also accepts {@code yes/no/on/off}. */
  boolean getBoolean(String path);

  /** A 32-bit integer. */
  int getInt(String path);

  /** A 64-bit integer. */
  long getLong(String path);

  /** A floating-point number. */
  double getDouble(String path);

  /** A duration such as {@code 250ms}, {@code 5s}, {@code 7d}; a bare number is milliseconds. */
  Duration getDuration(String path);

  /** A size in bytes such as {@code 8M} or {@code 4K}; a bare number is bytes. */
  long getBytes(String path);

  /**
   * A list of objects, e.g. {@code feeds = [ { name = a, url = "file:///a.txt" } ]}: each element
   * as a section of its own, named {@code <section>.<path>.<index>} in messages.
   */
  List<PluginConfig> getConfigList(String path);

  /** A list of strings. */
  List<String> getStringList(String path);

  /** An object of string values, such as {@code labels { team = "payments" }}, in key order. */
  Map<String, String> getStringMap(String path);

  /**
   * Where the value of a path was set, for messages: a file and line, {@code "an environment
   * override"}, a flag such as {@code --db-path}, or {@code "the plugin's default"}.
   */
  String origin(String path);
}

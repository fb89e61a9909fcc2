package io.lanthorn.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command-line flag a plugin contributes to {@code lanthorn}, and the key of the plugin's own
 * configuration section it sets. Flags override every other configuration layer.
 *
 * <p>Several plugins may declare the same flag (a web plugin reading the same database as the
 * SQLite sink may also take {@code --db-path}); the flag then sets each one's key. They must agree
 * on whether it takes a value.
 *
 * @param name the flag, e.g. {@code --db-path}: two dashes, then lower-case words joined by dashes
 * @param configKey the key it sets inside the plugin's section, e.g. {@code path}
 * @param valueLabel the value's placeholder in {@code --help}, e.g. {@code PATH}; {@code null} for
 *     a switch, which takes no value
 * @param switchValue what a switch sets the key to (a string, number or boolean); {@code null} for
 *     a flag with a value, which sets the key to the text the user typed
 * @param description one line for {@code lanthorn --help}; the launcher appends which key it sets
 */
public record PluginFlag(
    String name, String configKey, String valueLabel, Object switchValue, String description) {
  private static final Pattern NAME = Pattern.compile("--[a-z0-9]+(-[a-z0-9]+)*");

  /** Checks the name and that exactly one of value label and switch value is present. */
  public PluginFlag {
    Objects.requireNonNull(configKey, "configKey");
    Objects.requireNonNull(description, "description");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "flag name '" + name + "' must look like --db-path (two dashes, lower-case words)");
    }
    if ((valueLabel == null) == (switchValue == null)) {
      throw new IllegalArgumentException(
          "flag " + name + " needs either a value label or a switch value, not both or neither");
    }
  }

  /** A flag taking a value, e.g. {@code withValue("--db-path", "path", "PATH", "SQLite file")}. */
  public static PluginFlag withValue(
      String name, String configKey, String valueLabel, String description) {
    return new PluginFlag(name, configKey, valueLabel, null, description);
  }

  /**
   * A switch setting a key to a fixed value, e.g. {@code setting("--disable-tcp-mon", "enabled",
   * false, "Do not monitor TCP connections")}.
   */
  public static PluginFlag setting(
      String name, String configKey, Object switchValue, String description) {
    return new PluginFlag(name, configKey, null, switchValue, description);
  }

  /** Whether the flag takes a value. */
  public boolean takesValue() {
    return valueLabel != null;
  }
}

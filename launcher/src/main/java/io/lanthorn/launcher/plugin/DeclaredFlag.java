package io.lanthorn.launcher.plugin;

import io.lanthorn.api.PluginFlag;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One command-line flag as the installed plugins declare it: a flag several plugins declare is one
 * flag setting each one's key.
 *
 * @param name the flag, e.g. {@code --db-path}
 * @param valueLabel the value's placeholder, or {@code null} for a switch
 * @param description the first declaring plugin's description
 * @param targets each declaring plugin with its declaration
 */
public record DeclaredFlag(
    String name, String valueLabel, String description, List<Target> targets) {

  /**
   * A plugin declaring the flag.
   *
   * @param plugin the plugin's name, which is its section
   * @param flag its declaration
   */
  public record Target(String plugin, PluginFlag flag) {
    /** The full configuration path the flag sets for this plugin. */
    public String path() {
      return plugin + "." + flag.configKey();
    }
  }

  /** Copies the targets. */
  public DeclaredFlag {
    targets = List.copyOf(targets);
  }

  /** Whether the flag takes a value. */
  public boolean takesValue() {
    return valueLabel != null;
  }

  /** The paths it sets, e.g. {@code sink-example.path}, comma-separated. */
  public String paths() {
    return targets.stream()
        .map(
            t ->
                t.path()
                    + (t.flag().takesValue() ? "" : " = " + String.valueOf(t.flag().switchValue())))
        .collect(Collectors.joining(", "));
  }

  /** The line for {@code --help}: the description and the keys it sets. */
  public String helpLine() {
    return description + " (sets " + paths() + ")";
  }
}

package io.lanthorn.launcher.plugin;

/**
 * A plugin with its own class loader.
 *
 * @param location where it was found
 * @param loader the class loader reading its jars
 */
public record LoadedPlugin(PluginLocation location, PluginClassLoader loader) {

  /** The plugin's name (its folder or jar name). */
  public String name() {
    return location.name();
  }
}

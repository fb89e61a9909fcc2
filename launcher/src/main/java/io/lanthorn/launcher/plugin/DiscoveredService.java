package io.lanthorn.launcher.plugin;

/**
 * One service a plugin provides, instantiated but not started.
 *
 * @param kind what it is
 * @param name its name: the plugin service's {@code name()}, or a command's subcommand name
 * @param configSection the configuration section it reads: its name, or a command's {@code
 *     configSection()}
 * @param service the instance, of {@link ServiceKind#type()}
 * @param plugin the plugin it came from
 */
public record DiscoveredService(
    ServiceKind kind, String name, String configSection, Object service, LoadedPlugin plugin) {

  /** The instance as its service interface. */
  public <T> T as(Class<T> type) {
    return type.cast(service);
  }

  /** The plugin's class loader: the context class loader for every call into this service. */
  public ClassLoader loader() {
    return plugin.loader();
  }
}

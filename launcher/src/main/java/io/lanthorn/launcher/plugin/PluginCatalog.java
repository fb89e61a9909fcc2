package io.lanthorn.launcher.plugin;

import io.lanthorn.api.Plugin;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin in the plugins directory, each with its own {@link PluginClassLoader}, and the
 * services they provide (instantiated with {@link ServiceLoader}, not started).
 *
 * <p>Closing the catalog closes the class loaders; close it only after every plugin was closed.
 */
public final class PluginCatalog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** Names the launcher itself uses: its configuration section and its own subcommands. */
  private static final Set<String> RESERVED = Set.of("lanthorn", "run", "plugins", "help");

  private final Path directory;
  private final List<LoadedPlugin> plugins;
  private final List<DiscoveredService> services;

  private PluginCatalog(
      Path directory, List<LoadedPlugin> plugins, List<DiscoveredService> services) {
    this.directory = directory;
    this.plugins = List.copyOf(plugins);
    this.services = List.copyOf(services);
  }

  /**
   * Loads every plugin in {@code directory}, checked to be safe for the user running the agent.
   *
   * @throws LauncherException naming the plugin when the directory or a plugin is unusable
   */
  public static PluginCatalog discover(Path directory) {
    return discover(
        directory, PluginFileSafety.forCurrentUser(), PluginCatalog.class.getClassLoader());
  }

  static PluginCatalog discover(
      Path directory, PluginFileSafety safety, ClassLoader launcherLoader) {
    List<PluginLocation> locations = new PluginDirectory(safety).scan(directory);
    List<LoadedPlugin> plugins = new ArrayList<>();
    List<DiscoveredService> services = new ArrayList<>();
    try {
      for (PluginLocation location : locations) {
        LoadedPlugin plugin =
            new LoadedPlugin(
                location, new PluginClassLoader(location.name(), urls(location), launcherLoader));
        plugins.add(plugin);
        List<DiscoveredService> provided = load(plugin);
        if (provided.isEmpty()) {
          log.warn(
              "plugin {}: {} provides no Lanthorn service (no META-INF/services/io.lanthorn.api.*"
                  + " file): ignored",
              location.name(),
              location.path());
        }
        services.addAll(provided);
      }
      checkUnique(services);
    } catch (RuntimeException e) {
      plugins.forEach(PluginCatalog::closeQuietly);
      throw e;
    }
    return new PluginCatalog(directory, plugins, services);
  }

  /** The directory the plugins came from. */
  public Path directory() {
    return directory;
  }

  /** The plugins, in name order. */
  public List<LoadedPlugin> plugins() {
    return plugins;
  }

  /** Every service, by plugin, then kind. */
  public List<DiscoveredService> services() {
    return services;
  }

  /** The services of one kind, in discovery order. */
  public List<DiscoveredService> services(ServiceKind kind) {
    return services.stream().filter(s -> s.kind() == kind).toList();
  }

  @Override
  public void close() {
    plugins.forEach(PluginCatalog::closeQuietly);
  }

  private static List<DiscoveredService> load(LoadedPlugin plugin) {
    List<DiscoveredService> found = new ArrayList<>();
    for (ServiceKind kind : ServiceKind.values()) {
      try {
        ContextClassLoader.run(
            plugin.loader(),
            () -> {
              for (Object service : ServiceLoader.load(kind.type(), plugin.loader())) {
                found.add(describe(kind, service, plugin));
              }
            });
      } catch (LauncherException e) {
        throw e;
      } catch (Exception | LinkageError | java.util.ServiceConfigurationError e) {
        throw new LauncherException(
            ExitCodes.PLUGINS,
            "plugin "
                + plugin.name()
                + ": cannot load its "
                + kind.label()
                + " services from "
                + plugin.location().path()
                + " ("
                + rootMessage(e)
                + "): reinstall the plugin, or remove it",
            e);
      }
    }
    return found;
  }

  private static DiscoveredService describe(ServiceKind kind, Object service, LoadedPlugin plugin) {
    String name;
    String section;
    if (service instanceof PluginCommand command) {
      name = command.name();
      section = command.configSection();
      checkName(plugin, service, "configSection()", section);
    } else {
      name = ((Plugin) service).name();
      section = name;
    }
    checkName(plugin, service, "name()", name);
    if (RESERVED.contains(name) || RESERVED.contains(section)) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugin "
              + plugin.name()
              + ": "
              + service.getClass().getName()
              + " uses the name or section '"
              + (RESERVED.contains(name) ? name : section)
              + "', which the launcher uses itself: the plugin must choose another");
    }
    return new DiscoveredService(kind, name, section, service, plugin);
  }

  private static void checkName(LoadedPlugin plugin, Object service, String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugin "
              + plugin.name()
              + ": "
              + service.getClass().getName()
              + "."
              + what
              + " returned '"
              + value
              + "', but names must be lower-case letters, digits and dashes (e.g. sink-jsonl)");
    }
  }

  /** Plugin services share one namespace (their config sections); commands share another. */
  private static void checkUnique(List<DiscoveredService> services) {
    Map<String, DiscoveredService> seen = new HashMap<>();
    for (DiscoveredService service : services) {
      String key = (service.kind() == ServiceKind.COMMAND ? "command " : "") + service.name();
      DiscoveredService clash = seen.putIfAbsent(key, service);
      if (clash != null) {
        throw new LauncherException(
            ExitCodes.PLUGINS,
            "plugins: two "
                + (service.kind() == ServiceKind.COMMAND ? "commands" : "plugin services")
                + " are named '"
                + service.name()
                + "': "
                + clash.service().getClass().getName()
                + " in "
                + clash.plugin().location().path()
                + " and "
                + service.service().getClass().getName()
                + " in "
                + service.plugin().location().path()
                + ": remove one of them");
      }
    }
  }

  private static List<URL> urls(PluginLocation location) {
    List<URL> urls = new ArrayList<>();
    for (Path jar : location.jars()) {
      try {
        urls.add(jar.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new UncheckedIOException(e);
      }
    }
    return urls;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) { // Throwable.getCause() is null, never itself, at the end
      root = root.getCause();
    }
    return root.equals(e) ? String.valueOf(e) : e + ", caused by " + root;
  }

  private static void closeQuietly(LoadedPlugin plugin) {
    try {
      plugin.loader().close();
    } catch (IOException e) {
      log.debug("closing the class loader of {}", plugin.name(), e);
    }
  }
}

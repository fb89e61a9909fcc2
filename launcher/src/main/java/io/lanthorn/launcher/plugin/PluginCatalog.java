package io.lanthorn.launcher.plugin;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin in the plugins directory, each with its own {@link PluginClassLoader} and its {@link
 * PluginFactory} (instantiated with {@link ServiceLoader}, its declarations read, nothing created).
 *
 * <p>Discovery refuses, in one line naming the plugin: an unsafe or unreadable plugin, a plugin
 * built against an incompatible API ({@link ApiVersion}), bad or clashing names, and a flag two
 * plugins declare differently. Closing the catalog closes the class loaders; close it only after
 * every plugin instance was closed.
 */
public final class PluginCatalog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** Names the launcher itself uses: its configuration section and its own subcommands. */
  private static final Set<String> RESERVED = Set.of("lanthorn", "run", "plugins", "help");

  /** The launcher's own options, which no plugin flag may take. */
  private static final Set<String> RESERVED_FLAGS =
      Set.of("--config", "--plugins", "--log-level", "--help", "--version");

  /** The service files of API 1 plugins, which had no factory. */
  private static final List<String> API_1_SERVICES =
      List.of(
          "io.lanthorn.api.EventSource",
          "io.lanthorn.api.Enricher",
          "io.lanthorn.api.Sink",
          "io.lanthorn.api.PluginCommand");

  private final Path directory;
  private final List<InstalledPlugin> plugins;
  private final List<DeclaredFlag> flags;
  private final List<PluginClassLoader> loaders;

  private PluginCatalog(
      Path directory,
      List<InstalledPlugin> plugins,
      List<DeclaredFlag> flags,
      List<PluginClassLoader> loaders) {
    this.directory = directory;
    this.plugins = List.copyOf(plugins);
    this.flags = List.copyOf(flags);
    this.loaders = List.copyOf(loaders);
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
    List<PluginClassLoader> loaders = new ArrayList<>();
    List<InstalledPlugin> plugins = new ArrayList<>();
    try {
      for (PluginLocation location : locations) {
        PluginClassLoader loader =
            new PluginClassLoader(location.name(), urls(location), launcherLoader);
        loaders.add(loader);
        List<InstalledPlugin> found = load(location, loader);
        if (found.isEmpty()) {
          refuseApi1(location, loader);
          log.warn(
              "plugin {}: {} provides no Lanthorn plugin (no"
                  + " META-INF/services/io.lanthorn.api.PluginFactory file): ignored",
              location.name(),
              location.path());
        }
        plugins.addAll(found);
      }
      checkUnique(plugins);
      return new PluginCatalog(directory, plugins, declaredFlags(plugins), loaders);
    } catch (RuntimeException e) {
      loaders.forEach(PluginCatalog::closeQuietly);
      throw e;
    }
  }

  /** The directory the plugins came from. */
  public Path directory() {
    return directory;
  }

  /** Every plugin, in folder name order. */
  public List<InstalledPlugin> plugins() {
    return plugins;
  }

  /** The plugins of one kind, in folder name order. */
  public List<InstalledPlugin> plugins(PluginKind kind) {
    return plugins.stream().filter(p -> p.is(kind)).toList();
  }

  /** Every plugin's flags, one entry per flag name, in the order plugins declare them. */
  public List<DeclaredFlag> flags() {
    return flags;
  }

  /** The flags one plugin declares, as entries of {@link #flags()}. */
  public List<DeclaredFlag> flags(InstalledPlugin plugin) {
    return flags.stream()
        .filter(f -> f.targets().stream().anyMatch(t -> t.plugin().equals(plugin.name())))
        .toList();
  }

  @Override
  public void close() {
    loaders.forEach(PluginCatalog::closeQuietly);
  }

  private static List<InstalledPlugin> load(PluginLocation location, PluginClassLoader loader) {
    List<InstalledPlugin> found = new ArrayList<>();
    try {
      ContextClassLoader.run(
          loader,
          () -> {
            for (PluginFactory factory : ServiceLoader.load(PluginFactory.class, loader)) {
              found.add(describe(location, loader, factory));
            }
          });
    } catch (LauncherException e) {
      throw e;
    } catch (Exception | LinkageError | java.util.ServiceConfigurationError e) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugin "
              + location.name()
              + ": cannot load its factory from "
              + location.path()
              + " ("
              + rootMessage(e)
              + "): reinstall the plugin, or remove it",
          e);
    }
    return found;
  }

  private static InstalledPlugin describe(
      PluginLocation location, PluginClassLoader loader, PluginFactory factory) {
    String version;
    try {
      version = factory.apiVersion();
    } catch (LinkageError e) {
      version = "an unknown version";
    }
    if (!ApiVersion.accepts(version)) {
      throw incompatible(location, version);
    }
    String name = factory.name();
    checkName(location, factory, "name()", name);
    if (RESERVED.contains(name)) {
      throw reserved(location, factory, name);
    }
    List<PluginCommand> commands = List.copyOf(factory.commands());
    for (PluginCommand command : commands) {
      checkName(location, command, "name()", command.name());
      if (RESERVED.contains(command.name())) {
        throw reserved(location, command, command.name());
      }
    }
    List<PluginFlag> flags = List.copyOf(factory.flags());
    for (PluginFlag flag : flags) {
      if (RESERVED_FLAGS.contains(flag.name())) {
        throw new LauncherException(
            ExitCodes.PLUGINS,
            "plugin "
                + location.name()
                + ": "
                + factory.getClass().getName()
                + " declares the flag "
                + flag.name()
                + ", which the launcher uses itself: the plugin must choose another");
      }
    }
    return new InstalledPlugin(
        location, loader, factory, name, factory.description(), factory.kinds(), flags, commands);
  }

  private static LauncherException incompatible(PluginLocation location, String version) {
    return new LauncherException(
        ExitCodes.PLUGINS,
        "plugin "
            + location.name()
            + " was built against lanthorn api "
            + version
            + ", but this agent runs api "
            + ApiVersion.CURRENT
            + ": install a version of the plugin built against lanthorn-api "
            + ApiVersion.MAJOR
            + ".x, or remove "
            + location.path());
  }

  /** A plugin of API 1 registered its services directly: refuse it like any other old plugin. */
  private static void refuseApi1(PluginLocation location, PluginClassLoader loader) {
    for (String service : API_1_SERVICES) {
      if (loader.findResource("META-INF/services/" + service) != null) {
        throw incompatible(location, "1 (it registers " + service + ", not a PluginFactory)");
      }
    }
  }

  private static LauncherException reserved(PluginLocation location, Object what, String name) {
    return new LauncherException(
        ExitCodes.PLUGINS,
        "plugin "
            + location.name()
            + ": "
            + what.getClass().getName()
            + " uses the name '"
            + name
            + "', which the launcher uses itself: the plugin must choose another");
  }

  private static void checkName(PluginLocation location, Object what, String method, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugin "
              + location.name()
              + ": "
              + what.getClass().getName()
              + "."
              + method
              + " returned '"
              + name
              + "', but names must be lower-case letters, digits and dashes (e.g. sink-jsonl)");
    }
  }

  /** Plugins share one namespace (their config sections); commands share another. */
  private static void checkUnique(List<InstalledPlugin> plugins) {
    Map<String, InstalledPlugin> names = new HashMap<>();
    Map<String, InstalledPlugin> commands = new HashMap<>();
    for (InstalledPlugin plugin : plugins) {
      InstalledPlugin clash = names.putIfAbsent(plugin.name(), plugin);
      if (clash != null) {
        throw clash("plugins", plugin.name(), clash, plugin);
      }
      for (PluginCommand command : plugin.commands()) {
        clash = commands.putIfAbsent(command.name(), plugin);
        if (clash != null) {
          throw clash("commands", command.name(), clash, plugin);
        }
      }
    }
  }

  private static LauncherException clash(
      String what, String name, InstalledPlugin first, InstalledPlugin second) {
    return new LauncherException(
        ExitCodes.PLUGINS,
        "plugins: two "
            + what
            + " are named '"
            + name
            + "': "
            + first.factory().getClass().getName()
            + " in "
            + first.location().path()
            + " and "
            + second.factory().getClass().getName()
            + " in "
            + second.location().path()
            + ": remove one of them");
  }

  /** Merges the flags by name; two declarations of one flag must agree on taking a value. */
  private static List<DeclaredFlag> declaredFlags(List<InstalledPlugin> plugins) {
    Map<String, List<DeclaredFlag.Target>> byName = new LinkedHashMap<>();
    for (InstalledPlugin plugin : plugins) {
      for (PluginFlag flag : plugin.flags()) {
        List<DeclaredFlag.Target> targets =
            byName.computeIfAbsent(flag.name(), n -> new ArrayList<>());
        if (!targets.isEmpty() && targets.getFirst().flag().takesValue() != flag.takesValue()) {
          throw new LauncherException(
              ExitCodes.PLUGINS,
              "plugins: "
                  + targets.getFirst().plugin()
                  + " and "
                  + plugin.name()
                  + " both declare "
                  + flag.name()
                  + ", but only one of them takes a value: remove one of the plugins");
        }
        targets.add(new DeclaredFlag.Target(plugin.name(), flag));
      }
    }
    List<DeclaredFlag> flags = new ArrayList<>();
    byName.forEach(
        (name, targets) -> {
          PluginFlag first = targets.getFirst().flag();
          flags.add(new DeclaredFlag(name, first.valueLabel(), first.description(), targets));
        });
    return flags;
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

  private static void closeQuietly(PluginClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      log.debug("closing the class loader {}", loader.getName(), e);
    }
  }
}

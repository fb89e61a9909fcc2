package io.lanthorn.launcher;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.launcher.config.ConfigLoader;
import io.lanthorn.launcher.config.EffectiveConfig;
import io.lanthorn.launcher.config.Enablement;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import io.lanthorn.launcher.metrics.PluginMetrics;
import io.lanthorn.launcher.pipeline.PipelineSettings;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.DeclaredFlag;
import io.lanthorn.launcher.plugin.Failures;
import io.lanthorn.launcher.plugin.InstalledPlugin;
import io.lanthorn.launcher.plugin.PluginCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation of {@code lanthorn}: the plugins discovered once, and what each command does with
 * them and the configuration.
 */
final class LauncherSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LauncherSession.class);

  private final Launch launch;
  private final PluginCatalog catalog;
  private final LauncherException discoveryFailure;

  /**
   * Discovers the plugins in {@code pluginsDir}. A failure is kept, not thrown, so that {@code
   * --help} and {@code --version} still work; the commands that need plugins report it.
   */
  LauncherSession(Launch launch, Path pluginsDir) {
    this.launch = launch;
    PluginCatalog found = null;
    LauncherException failure = null;
    try {
      found = PluginCatalog.discover(pluginsDir);
    } catch (LauncherException e) {
      failure = e;
    }
    this.catalog = found;
    this.discoveryFailure = failure;
  }

  /** Whether discovering the plugins failed (the commands that need them report why). */
  boolean discoveryFailed() {
    return discoveryFailure != null;
  }

  /** The installed plugins, for registering their commands; none when discovery failed. */
  List<InstalledPlugin> plugins() {
    return catalog == null ? List.of() : catalog.plugins();
  }

  /** Every installed plugin's flags; none when discovery failed. */
  List<DeclaredFlag> flags() {
    return catalog == null ? List.of() : catalog.flags();
  }

  /** One plugin's flags. */
  List<DeclaredFlag> flags(InstalledPlugin plugin) {
    return catalog == null ? List.of() : catalog.flags(plugin);
  }

  /** {@code lanthorn run}: runs the agent until the stop signal, then drains and exits. */
  int run(LauncherOptions options) {
    EffectiveConfig config = loadConfig(options);
    Agent agent =
        new Agent(
            catalog(),
            config,
            new MetricsRegistry(),
            Clock.systemUTC(),
            options.effectiveHostName());
    StopSignal signal = launch.stopSignal();
    signal.arm(PipelineSettings.from(config.launcher()).drainTimeout());
    try {
      agent.start();
      signal.awaitStopRequest();
      log.info("stopping: draining accepted events into every sink");
      return agent.stop() ? ExitCodes.OK : ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      agent.stop();
      return ExitCodes.FAILURE;
    } finally {
      signal.stopped();
    }
  }

  /**
   * {@code lanthorn plugins}: one line per plugin (kind, name, state, folder), then a line for its
   * flags and one for its commands when it has any.
   */
  int listPlugins(LauncherOptions options) {
    PluginCatalog plugins = catalog();
    EffectiveConfig config = loadConfig(options);
    PrintStream out = launch.out();
    if (plugins.plugins().isEmpty()) {
      out.println("no plugins in " + plugins.directory().toAbsolutePath());
      return ExitCodes.OK;
    }
    String format = "%-16s %-18s %-40s %s%n";
    out.printf(Locale.ROOT, format, "KIND", "NAME", "STATE", "FROM");
    for (InstalledPlugin plugin : plugins.plugins()) {
      out.printf(
          Locale.ROOT,
          format,
          plugin.kindLabel(),
          plugin.name(),
          state(plugin, config),
          plugin.location().path().toAbsolutePath());
      List<DeclaredFlag> flags = plugins.flags(plugin);
      if (!flags.isEmpty()) {
        out.println(
            "    flags: "
                + flags.stream()
                    .map(
                        f ->
                            f.name()
                                + (f.takesValue() ? " " + f.valueLabel() : "")
                                + " (sets "
                                + f.targets().stream()
                                    .filter(t -> t.plugin().equals(plugin.name()))
                                    .map(DeclaredFlag.Target::path)
                                    .collect(Collectors.joining(", "))
                                + ")")
                    .collect(Collectors.joining(", ")));
      }
      if (!plugin.commands().isEmpty()) {
        out.println(
            "    commands: "
                + plugin.commands().stream()
                    .map(PluginCommand::name)
                    .collect(Collectors.joining(", ")));
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Runs a plugin's command with its plugin's validated section (its flags applied) and its
   * arguments, untouched.
   */
  int runPluginCommand(
      InstalledPlugin plugin, PluginCommand command, LauncherOptions options, List<String> args) {
    EffectiveConfig config = loadConfig(options);
    AgentPluginContext context =
        new AgentPluginContext(
            plugin.name(),
            config.pluginConfig(plugin.name()),
            LoggerFactory.getLogger(LogbackSetup.pluginLoggerName(plugin.name())),
            new PluginMetrics(new MetricsRegistry(), plugin.name()),
            Clock.systemUTC(),
            () -> new io.lanthorn.api.PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of()),
            options.effectiveHostName(),
            null);
    try {
      return ContextClassLoader.call(
          plugin.loader(), () -> command.run(context, args, launch.out(), launch.err()));
    } catch (Exception | LinkageError e) {
      log.debug("command {} failed", command.name(), e);
      throw new LauncherException(
          ExitCodes.FAILURE, command.name() + ": " + Failures.describe(e), e);
    }
  }

  private static String state(InstalledPlugin plugin, EffectiveConfig config) {
    if (plugin.kinds().isEmpty()) {
      return "available";
    }
    Enablement enablement = config.enablement(plugin.name());
    return enablement.enabled() ? "enabled" : "disabled (" + enablement.decidedBy() + ")";
  }

  private PluginCatalog catalog() {
    if (discoveryFailure != null) {
      throw discoveryFailure;
    }
    return catalog;
  }

  private EffectiveConfig loadConfig(LauncherOptions options) {
    Path file = options.config != null ? options.config : launch.defaultConfig();
    EffectiveConfig config =
        new ConfigLoader(LauncherSession.class.getClassLoader(), launch.environment())
            .load(catalog(), file, options.flagOverrides());
    config.warnings().forEach(log::warn);
    return config;
  }

  @Override
  public void close() {
    if (catalog != null) {
      catalog.close();
    }
  }
}

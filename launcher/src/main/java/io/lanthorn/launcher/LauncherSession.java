package io.lanthorn.launcher;

import com.typesafe.config.Config;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.launcher.config.ConfigLoader;
import io.lanthorn.launcher.config.EffectiveConfig;
import io.lanthorn.launcher.config.Enablement;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import io.lanthorn.launcher.pipeline.PipelineSettings;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.DiscoveredService;
import io.lanthorn.launcher.plugin.Failures;
import io.lanthorn.launcher.plugin.PluginCatalog;
import io.lanthorn.launcher.plugin.ServiceKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
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

  /** The plugin commands, for registration as subcommands; none when discovery failed. */
  List<DiscoveredService> pluginCommands() {
    return catalog == null ? List.of() : catalog.services(ServiceKind.COMMAND);
  }

  /** {@code lanthorn run}: runs the agent until the stop signal, then drains and exits. */
  int run(LauncherOptions options) {
    EffectiveConfig config = loadConfig(options);
    Agent agent = new Agent(catalog(), config, new MetricsRegistry(), Clock.systemUTC());
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

  /** {@code lanthorn plugins}: one line per discovered service. */
  int listPlugins(LauncherOptions options) {
    PluginCatalog plugins = catalog();
    EffectiveConfig config = loadConfig(options);
    PrintStream out = launch.out();
    if (plugins.services().isEmpty()) {
      out.println("no plugins in " + plugins.directory().toAbsolutePath());
      return ExitCodes.OK;
    }
    String format = "%-9s %-18s %-40s %s%n";
    out.printf(Locale.ROOT, format, "KIND", "NAME", "STATE", "FROM");
    for (ServiceKind kind : ServiceKind.values()) {
      for (DiscoveredService service : plugins.services(kind)) {
        out.printf(
            Locale.ROOT,
            format,
            kind.label(),
            service.name(),
            state(service, config),
            service.plugin().location().path().toAbsolutePath());
      }
    }
    return ExitCodes.OK;
  }

  /** Runs a plugin's command with its validated section and its arguments, untouched. */
  int runPluginCommand(DiscoveredService command, LauncherOptions options, List<String> args) {
    EffectiveConfig config = loadConfig(options);
    PluginCommand plugin = command.as(PluginCommand.class);
    Config section = config.section(command.configSection());
    try {
      return ContextClassLoader.call(
          command.loader(), () -> plugin.run(section, args, launch.out(), launch.err()));
    } catch (Exception | LinkageError e) {
      log.debug("command {} failed", command.name(), e);
      throw new LauncherException(
          ExitCodes.FAILURE, command.name() + ": " + Failures.describe(e), e);
    }
  }

  private static String state(DiscoveredService service, EffectiveConfig config) {
    if (service.kind() == ServiceKind.COMMAND) {
      return "available";
    }
    Enablement enablement = config.enablement(service.configSection());
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

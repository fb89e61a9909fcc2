package io.lanthorn.launcher;

import io.lanthorn.launcher.LogbackSetup.LogLevel;
import io.lanthorn.launcher.config.FlagOverride;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options {@code lanthorn} and its own subcommands accept, before or after the subcommand's
 * name ({@code lanthorn --config x run} and {@code lanthorn run --config x} are the same): the
 * launcher's own, and the flags the installed plugins declare ({@link PluginFlagOptions}).
 */
final class LauncherOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (default: conf/lanthorn.conf of the installation).")
  Path config;

  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description = "Plugins directory (default: plugins/ of the installation).")
  Path plugins;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "ERROR, WARN, INFO (default), DEBUG or TRACE.")
  LogLevel logLevel;

  @Option(
      names = "--host-name",
      paramLabel = "NAME",
      description =
          "This host's name on the events it captures (default: the kernel's host name); every"
              + " plugin sees it, e.g. a sink that sends events to a central agent.")
  String hostName;

  /**
   * The command these options belong to, whose plugin flag options {@link #flagOverrides()} reads.
   */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Plugin flags merged in by {@link #over}; {@code null} until then. */
  private List<FlagOverride> merged;

  /** These options with unset ones taken from {@code outer} (the options before the subcommand). */
  LauncherOptions over(LauncherOptions outer) {
    LauncherOptions result = new LauncherOptions();
    result.config = config != null ? config : outer.config;
    result.plugins = plugins != null ? plugins : outer.plugins;
    result.logLevel = logLevel != null ? logLevel : outer.logLevel;
    result.hostName = hostName != null ? hostName : outer.hostName;
    Map<String, FlagOverride> byPath = new LinkedHashMap<>();
    for (FlagOverride flag : outer.flagOverrides()) {
      byPath.put(flag.path(), flag);
    }
    for (FlagOverride flag : flagOverrides()) {
      byPath.put(flag.path(), flag);
    }
    result.merged = List.copyOf(byPath.values());
    return result;
  }

  /** The host name every plugin context reports: {@code --host-name}, else the kernel's. */
  String effectiveHostName() {
    return HostName.of(hostName);
  }

  /** The configuration values the plugins' flags set. */
  List<FlagOverride> flagOverrides() {
    if (merged != null) {
      return merged;
    }
    return command == null ? List.of() : new ArrayList<>(PluginFlagOptions.given(command));
  }
}

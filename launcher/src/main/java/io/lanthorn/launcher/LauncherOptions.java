package io.lanthorn.launcher;

import io.lanthorn.launcher.LogbackSetup.LogLevel;
import io.lanthorn.launcher.config.FlagOverride;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code lanthorn} and its own subcommands accept, before or after the subcommand's
 * name ({@code lanthorn --config x run} and {@code lanthorn run --config x} are the same).
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
      names = "--disable-tcp-mon",
      description = "Do not monitor TCP connections (sets probe-tcp.enabled = false).")
  boolean disableTcpMon;

  @Option(
      names = "--disable-docker-mon",
      description = "Do not name Docker containers (sets enricher-docker.enabled = false).")
  boolean disableDockerMon;

  @Option(
      names = "--db-path",
      paramLabel = "PATH",
      description = "SQLite database file (sets sink-sqlite.path).")
  String dbPath;

  @Option(
      names = "--host-name",
      paramLabel = "NAME",
      description =
          "This host's name on the events it sends to a central agent (sets sink-kafka.host-name).")
  String hostName;

  /** These options with unset ones taken from {@code outer} (the options before the subcommand). */
  LauncherOptions over(LauncherOptions outer) {
    LauncherOptions merged = new LauncherOptions();
    merged.config = config != null ? config : outer.config;
    merged.plugins = plugins != null ? plugins : outer.plugins;
    merged.logLevel = logLevel != null ? logLevel : outer.logLevel;
    merged.disableTcpMon = disableTcpMon || outer.disableTcpMon;
    merged.disableDockerMon = disableDockerMon || outer.disableDockerMon;
    merged.dbPath = dbPath != null ? dbPath : outer.dbPath;
    merged.hostName = hostName != null ? hostName : outer.hostName;
    return merged;
  }

  /** The configuration values the flags set. */
  List<FlagOverride> flagOverrides() {
    List<FlagOverride> flags = new ArrayList<>();
    if (disableTcpMon) {
      flags.add(new FlagOverride("probe-tcp.enabled", false, "--disable-tcp-mon"));
    }
    if (disableDockerMon) {
      flags.add(new FlagOverride("enricher-docker.enabled", false, "--disable-docker-mon"));
    }
    if (dbPath != null) {
      flags.add(new FlagOverride("sink-sqlite.path", dbPath, "--db-path"));
    }
    if (hostName != null) {
      flags.add(new FlagOverride("sink-kafka.host-name", hostName, "--host-name"));
    }
    return flags;
  }
}

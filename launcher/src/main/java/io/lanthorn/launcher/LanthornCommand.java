package io.lanthorn.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lanthorn}: without a subcommand it runs the agent, like {@code lanthorn run}. */
@Command(
    name = "lanthorn",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Records every outbound TCP connection this machine makes, with the process and container"
          + " behind it.",
      "Without a command, runs the agent until SIGTERM or SIGINT."
    },
    footer = {
      "",
      "Configuration: reference defaults < --config FILE < CONFIG_FORCE_<path> environment"
          + " variables < flags.",
      "  e.g. CONFIG_FORCE_sink__jsonl_enabled=true (_ is a dot, __ a dash, ___ an underscore).",
      "Exit codes: 0 ok, 1 a plugin failed, 2 bad usage, 3 bad configuration, 4 unusable plugins"
          + " directory, 5 no source or no sink enabled.",
      "Faster start-up: sudo bin/lanthorn aot-cache builds the JVM's ahead-of-time class caches"
          + " of the agent and the commands (once per install or upgrade of Lanthorn or the JDK)."
    })
final class LanthornCommand implements Callable<Integer> {
  @Mixin LauncherOptions options = new LauncherOptions();

  private final LauncherSession session;

  LanthornCommand(LauncherSession session) {
    this.session = session;
  }

  LauncherOptions options() {
    return options;
  }

  @Override
  public Integer call() {
    return session.run(options);
  }
}

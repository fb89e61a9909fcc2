package io.lanthorn.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code lanthorn run}: runs the agent until SIGTERM or SIGINT, then drains and exits. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Run the agent (the default command) until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {
  @Mixin LauncherOptions options = new LauncherOptions();
  @ParentCommand LanthornCommand parent;

  private final LauncherSession session;

  RunCommand(LauncherSession session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.run(options.over(parent.options()));
  }
}

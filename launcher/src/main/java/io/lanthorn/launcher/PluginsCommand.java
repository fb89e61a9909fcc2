package io.lanthorn.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code lanthorn plugins}: every discovered plugin service, whether it runs, and why not. */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "List every plugin: kind, name, enabled or disabled (and by what), from; then its flags and"
            + " commands.")
final class PluginsCommand implements Callable<Integer> {
  @Mixin LauncherOptions options = new LauncherOptions();
  @ParentCommand LanthornCommand parent;

  private final LauncherSession session;

  PluginsCommand(LauncherSession session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.listPlugins(options.over(parent.options()));
  }
}

package io.lanthorn.launcher;

import io.lanthorn.launcher.plugin.DiscoveredService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * A plugin's command as a {@code lanthorn} subcommand. Every argument after its name goes to the
 * plugin untouched, {@code --help} included; launcher options go before the name ({@code lanthorn
 * --config x query …}).
 */
@Command
final class PluginCommandAdapter implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "ARGS",
      description = "Handed to the command as they are.")
  List<String> args = new ArrayList<>();

  @ParentCommand LanthornCommand parent;

  private final LauncherSession session;
  private final DiscoveredService command;

  PluginCommandAdapter(LauncherSession session, DiscoveredService command) {
    this.session = session;
    this.command = command;
  }

  @Override
  public Integer call() {
    return session.runPluginCommand(command, parent.options(), List.copyOf(args));
  }
}

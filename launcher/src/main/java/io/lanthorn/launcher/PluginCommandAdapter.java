package io.lanthorn.launcher;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.launcher.plugin.InstalledPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A plugin's command as a {@code lanthorn} subcommand. Every argument after its name goes to the
 * plugin untouched, {@code --help} included, except the plugin's own flags ({@code --db-path}),
 * which the launcher applies to the plugin's configuration; launcher options go before the name
 * ({@code lanthorn --config x query …}).
 */
@Command
final class PluginCommandAdapter implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "ARGS",
      description = "Handed to the command as they are.")
  List<String> args = new ArrayList<>();

  @ParentCommand LanthornCommand parent;

  @Spec CommandSpec spec;

  private final LauncherSession session;
  private final InstalledPlugin plugin;
  private final PluginCommand command;

  PluginCommandAdapter(LauncherSession session, InstalledPlugin plugin, PluginCommand command) {
    this.session = session;
    this.plugin = plugin;
    this.command = command;
  }

  @Override
  public Integer call() {
    LauncherOptions own = new LauncherOptions();
    own.command = spec;
    return session.runPluginCommand(plugin, command, own.over(parent.options()), List.copyOf(args));
  }
}

package io.lanthorn.launcher;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.launcher.LogbackSetup.LogLevel;
import io.lanthorn.launcher.plugin.InstalledPlugin;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The {@code lanthorn} command's entry point. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /**
   * Never matches an argument: plugin commands receive a bare {@code --} like any other argument
   * instead of picocli consuming it.
   */
  private static final String NO_END_OF_OPTIONS = "\u0000";

  private Main() {}

  /** Runs {@code lanthorn} and exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(args, Launch.fromSystem()));
  }

  /**
   * Runs {@code lanthorn} with these arguments.
   *
   * @return the exit status, one of {@link ExitCodes} or a plugin command's own
   */
  public static int execute(String[] args, Launch launch) {
    // The plugins directory and log level are needed before parsing: plugin commands become
    // subcommands, and discovery logs.
    String level = valueOf(args, "--log-level");
    if (level != null) {
      try {
        LogbackSetup.setLevel(LogLevel.valueOf(level.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        // picocli reports the bad value when it parses
      }
    }
    String plugins = valueOf(args, "--plugins");
    Path pluginsDir = plugins != null ? Path.of(plugins) : launch.defaultPlugins();
    try (LauncherSession session = new LauncherSession(launch, pluginsDir)) {
      return commandLine(session, launch).execute(args);
    }
  }

  static CommandLine commandLine(LauncherSession session, Launch launch) {
    CommandLine root = new CommandLine(new LanthornCommand(session));
    CommandLine run = new CommandLine(new RunCommand(session));
    CommandLine plugins = new CommandLine(new PluginsCommand(session));
    // Every plugin's flags on the launcher's own commands, built from what is installed.
    for (CommandLine command : List.of(root, run, plugins)) {
      PluginFlagOptions.addTo(command.getCommandSpec(), session.flags());
      // Without the plugins, their flags are unknown: let the command report why.
      command.setUnmatchedArgumentsAllowed(session.discoveryFailed());
    }
    root.addSubcommand(run);
    root.addSubcommand(plugins);
    for (InstalledPlugin plugin : session.plugins()) {
      for (PluginCommand command : plugin.commands()) {
        CommandLine sub = new CommandLine(new PluginCommandAdapter(session, plugin, command));
        sub.getCommandSpec().usageMessage().description(command.description());
        // The plugin's own flags, before or after the command's name; the rest is the command's.
        PluginFlagOptions.addTo(sub.getCommandSpec(), session.flags(plugin));
        sub.setUnmatchedOptionsArePositionalParams(true);
        sub.setEndOfOptionsDelimiter(NO_END_OF_OPTIONS);
        root.addSubcommand(command.name(), sub);
      }
    }
    root.setCaseInsensitiveEnumValuesAllowed(true);
    root.setExpandAtFiles(false);
    root.setOut(writer(launch.out()));
    root.setErr(writer(launch.err()));
    root.setParameterExceptionHandler(
        (ParameterException e, String[] args) -> usageError(e, launch.err()));
    root.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof LauncherException failure) {
            launch.err().println("lanthorn: " + failure.getMessage());
            log.debug("failure", failure);
            return failure.exitCode();
          }
          launch.err().println("lanthorn: unexpected error: " + e);
          log.debug("unexpected error", e);
          return ExitCodes.FAILURE;
        });
    return root;
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
  }

  private static int usageError(ParameterException e, PrintStream err) {
    err.println("lanthorn: " + e.getMessage() + " (see lanthorn --help)");
    return ExitCodes.USAGE;
  }

  /** The value of {@code --name VALUE} or {@code --name=VALUE}, or {@code null}. */
  private static String valueOf(String[] args, String name) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(name) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith(name + "=")) {
        return args[i].substring(name.length() + 1);
      }
    }
    return null;
  }
}

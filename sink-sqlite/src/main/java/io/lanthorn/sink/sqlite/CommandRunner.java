package io.lanthorn.sink.sqlite;

import io.lanthorn.api.PluginException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Runs one of the plugin's picocli commands ({@code query}, {@code backup}) the same way: a
 * mistyped command line gets one line naming what is wrong and where help is, a failure one line
 * with its message (a {@link PluginException}'s is the whole story; anything else is a bug to
 * report, so its type is named).
 */
public final class CommandRunner {
  private CommandRunner() {}

  /**
   * Runs the command line on the arguments and returns its exit status.
   *
   * @param prefix the start of every error line, e.g. {@code lanthorn query}
   * @param commandLine builds the command line; it is given the writer for results
   * @return the exit status: 0, 1 for a failure, 2 for bad usage
   */
  public static int run(
      String prefix,
      Function<PrintWriter, CommandLine> commandLine,
      List<String> args,
      PrintStream out,
      PrintStream err) {
    PrintWriter output = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errors = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine command = commandLine.apply(output);
    command.setOut(output);
    command.setErr(errors);
    command.setParameterExceptionHandler(
        (exception, failedArgs) -> {
          errors.println(
              prefix
                  + ": "
                  + exception.getMessage()
                  + " (see "
                  + exception.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help)");
          return CommandLine.ExitCode.USAGE;
        });
    command.setExecutionExceptionHandler(
        (exception, failed, parsed) -> {
          String message =
              exception instanceof PluginException
                  ? exception.getMessage()
                  : exception.getClass().getSimpleName() + ": " + exception.getMessage();
          errors.println(prefix + ": " + message);
          return CommandLine.ExitCode.SOFTWARE;
        });
    try {
      return command.execute(args.toArray(String[]::new));
    } finally {
      output.flush();
      errors.flush();
    }
  }
}

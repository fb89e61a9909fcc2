package io.lanthorn.sink.sqlite;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code lanthorn query}: answers the common questions from the SQLite history (top destinations
 * per container, one container's connections, failed connections, the summary, completeness) as a
 * table or JSON. The same questions as SQL are in the module's README.
 */
public final class QueryCommand implements PluginCommand {

  /** Does nothing: the command is built when it runs. */
  QueryCommand() {}

  @Override
  public String name() {
    return "query";
  }

  @Override
  public String description() {
    return "Answer questions from the SQLite history (top destinations, failures, one container)";
  }

  /** The command line of {@code query}, its times read with the given clock. */
  static CommandLine commandLine(PluginConfig config, Clock clock) {
    CommandLine commandLine = new CommandLine(new QueryCli(config));
    commandLine.registerConverter(Instant.class, new QueryTimeConverter(clock));
    return commandLine;
  }

  /** Ages ({@code --since 1h}) count back from the context's clock. */
  @Override
  public int run(PluginContext context, List<String> args, PrintStream out, PrintStream err) {
    PrintWriter output = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errors = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine commandLine = commandLine(context.config(), context.clock());
    commandLine.setOut(output);
    commandLine.setErr(errors);
    // A mistyped command line gets one line naming what is wrong and where help is, not the usage.
    commandLine.setParameterExceptionHandler(
        (exception, failedArgs) -> {
          errors.println(
              "lanthorn query: "
                  + exception.getMessage()
                  + " (see "
                  + exception.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help)");
          return CommandLine.ExitCode.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parsed) -> {
          // A PluginException's message is the whole story; anything else is a bug to report.
          String message =
              exception instanceof PluginException
                  ? exception.getMessage()
                  : exception.getClass().getSimpleName() + ": " + exception.getMessage();
          errors.println("lanthorn query: " + message);
          return CommandLine.ExitCode.SOFTWARE;
        });
    try {
      return commandLine.execute(args.toArray(String[]::new));
    } finally {
      output.flush();
      errors.flush();
    }
  }
}

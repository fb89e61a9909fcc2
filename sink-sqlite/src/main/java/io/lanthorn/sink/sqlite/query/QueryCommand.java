package io.lanthorn.sink.sqlite.query;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.sink.sqlite.CommandRunner;
import java.io.PrintStream;
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
  public QueryCommand() {}

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
    return CommandRunner.run(
        "lanthorn query", output -> commandLine(context.config(), context.clock()), args, out, err);
  }
}

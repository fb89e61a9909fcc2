package io.lanthorn.sink.sqlite.query;

import io.lanthorn.api.PluginConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lanthorn query} command line: its subcommands are the questions. */
@Command(
    name = "lanthorn query",
    description = "Answers questions from the history the SQLite sink keeps. Times are UTC.",
    subcommands = {
      QueryTop.class,
      QueryContainer.class,
      QueryFailed.class,
      QuerySummary.class,
      QueryHealth.class,
      QueryDns.class,
      QueryThreats.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "The SQLite file is sink-sqlite.path, or --db-path FILE before or after the question.",
      "",
      "Examples:",
      "  lanthorn query top --since 1h",
      "  lanthorn query container web --since 2026-11-25T08:00 --until 2026-11-25T09:00",
      "  lanthorn query failed --json | jq .",
      "  lanthorn query dns --container web --since 1h",
      "  lanthorn query failed --host web-1   (a central Lanthorn's file of several hosts)"
    })
final class QueryCli implements Callable<Integer> {
  private final PluginConfig config;

  @Spec CommandSpec spec;

  @CommandLine.Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /**
   * @param config the validated {@code sink-sqlite} section, {@code --db-path} applied to {@code
   *     path}
   */
  QueryCli(PluginConfig config) {
    this.config = config;
  }

  /** The sink's configuration section. */
  PluginConfig config() {
    return config;
  }

  /** Without a question there is nothing to answer: show what can be asked. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}

package io.lanthorn.sink.sqlite;

import com.typesafe.config.Config;
import java.nio.file.Path;
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
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  lanthorn query top --since 1h",
      "  lanthorn query container web --since 2026-11-25T08:00 --until 2026-11-25T09:00",
      "  lanthorn query failed --json | jq .",
      "  lanthorn query dns --container web --since 1h"
    })
final class QueryCli implements Callable<Integer> {
  private final Config config;

  @Spec CommandSpec spec;

  @CommandLine.Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  // Also accepted before the question (lanthorn query --db-path x.db top), as users type it.
  @CommandLine.Option(
      names = "--db-path",
      paramLabel = "FILE",
      description = "The SQLite file, for every question (default: sink-sqlite.path).")
  Path dbPath;

  /**
   * @param config the validated {@code sink-sqlite} section: its {@code path} is the default {@code
   *     --db-path}
   */
  QueryCli(Config config) {
    this.config = config;
  }

  /** The sink's configuration section. */
  Config config() {
    return config;
  }

  /** Without a question there is nothing to answer: show what can be asked. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}

package io.lanthorn.sink.sqlite.query;

import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.SinkSettings;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import io.lanthorn.sink.sqlite.store.Jooq;
import io.lanthorn.sink.sqlite.store.SchemaMigrator;
import io.lanthorn.sink.sqlite.store.SqliteErrors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every question takes: which file, which output format; and running the question. */
final class QueryDatabaseOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--json", description = "Print a JSON array of objects instead of a table.")
  boolean json;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /**
   * Opens the file read-only, checks its schema, asks the question and prints the answer.
   *
   * @return the exit status
   */
  int answer(QueryQuestion question) throws PluginException, SQLException {
    QueryCli root = (QueryCli) mixee.root().userObject();
    SinkSettings settings = SinkSettings.from(root.config());
    // --db-path is the plugin's flag: the launcher put it into sink-sqlite.path.
    Path path = settings.path();
    DatabaseFile file = DatabaseFile.forReading(path, settings.busyTimeout());
    new SchemaMigrator(file).requireCurrent();
    Result<?> answer;
    try (Connection connection = file.connect()) {
      answer = question.ask(Jooq.using(connection)).fetch();
    } catch (DataAccessException e) {
      throw new PluginException(SqliteErrors.explain(path, e, "read"), e);
    }
    QueryOutput.print(answer, json, mixee.commandLine().getOut());
    return 0;
  }
}

package io.lanthorn.sink.sqlite;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.List;
import java.util.Set;

/**
 * The {@code sink-sqlite} plugin: a sink, the {@code --db-path} flag (the Rust Lanthorn's) and the
 * {@code query} command, which reads the same file.
 */
public final class SqliteSinkFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public SqliteSinkFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return SqliteSink.NAME;
  }

  @Override
  public String description() {
    return "keeps the history in a SQLite file; lanthorn query answers questions from it";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SINK);
  }

  @Override
  public List<PluginFlag> flags() {
    return List.of(PluginFlag.withValue("--db-path", "path", "PATH", "SQLite database file."));
  }

  @Override
  public List<PluginCommand> commands() {
    return List.of(new QueryCommand());
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    SinkSettings.from(config);
  }

  @Override
  public SqliteSink create(PluginContext context) throws Exception {
    return SqliteSink.open(SinkSettings.from(context.config()), context);
  }
}

package io.lanthorn.sink.jsonl;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginKind;
import java.util.Set;

/** The {@code sink-jsonl} plugin: declares it, checks its section, and opens the sink. */
public final class JsonlSinkFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public JsonlSinkFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "sink-jsonl";
  }

  @Override
  public String description() {
    return "writes every event as one JSON line, to a file or standard output";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SINK);
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    JsonlSettings.from(config);
  }

  @Override
  public JsonlSink create(PluginContext context) throws PluginException {
    return JsonlSink.open(JsonlSettings.from(context.config()), context);
  }
}

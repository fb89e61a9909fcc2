package io.lanthorn.sink.kafka;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginKind;
import java.util.Set;

/**
 * The {@code sink-kafka} plugin: sends every event to a Kafka topic for a central agent
 * (source-kafka). Shipped disabled. The host's name is the agent's ({@code lanthorn --host-name}).
 */
public final class KafkaSinkFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public KafkaSinkFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "sink-kafka";
  }

  @Override
  public String description() {
    return "sends every event to Kafka for a central Lanthorn (source-kafka) to collect";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SINK);
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    KafkaSink.producerProperties(KafkaSinkSettings.from(config));
  }

  @Override
  public KafkaSink create(PluginContext context) throws Exception {
    return KafkaSink.open(KafkaSinkSettings.from(context.config()), context);
  }
}

package io.lanthorn.source.kafka;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginKind;
import java.util.Set;

/**
 * The {@code source-kafka} plugin: reads the events other agents' sink-kafka sent into this agent's
 * pipeline, committing offsets only once the sinks have them. Shipped disabled.
 */
public final class KafkaSourceFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public KafkaSourceFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "source-kafka";
  }

  @Override
  public String description() {
    return "collects the events other agents send through Kafka (sink-kafka)";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SOURCE);
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    KafkaSource.validate(config);
  }

  @Override
  public KafkaSource create(PluginContext context) throws Exception {
    return KafkaSource.start(context);
  }
}

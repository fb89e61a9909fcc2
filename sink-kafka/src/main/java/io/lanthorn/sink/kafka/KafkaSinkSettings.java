package io.lanthorn.sink.kafka;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** sink-kafka's section of the configuration, read once at start. */
record KafkaSinkSettings(
    String bootstrapServers,
    String topic,
    String hostId,
    String compression,
    Duration deliveryTimeout,
    Duration retryInterval,
    Path spoolPath,
    long spoolMaxBytes,
    Map<String, String> kafka) {

  private static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

  static KafkaSinkSettings from(PluginConfig config) throws PluginException {
    String compression = config.getString("compression");
    if (!COMPRESSIONS.contains(compression)) {
      throw new PluginException(
          "sink-kafka.compression: '"
              + compression
              + "' is not one of none, gzip, snappy, lz4, zstd");
    }
    String servers = config.getString("bootstrap-servers").strip();
    if (servers.isEmpty()) {
      throw new PluginException(
          "sink-kafka.bootstrap-servers is empty: name the brokers, e.g. \"127.0.0.1:9092\"");
    }
    return new KafkaSinkSettings(
        servers,
        config.getString("topic"),
        config.getString("host-id"),
        compression,
        config.getDuration("delivery-timeout"),
        config.getDuration("retry-interval"),
        Path.of(config.getString("spool.path")),
        config.getBytes("spool.max-size"),
        config.getStringMap("kafka"));
  }
}

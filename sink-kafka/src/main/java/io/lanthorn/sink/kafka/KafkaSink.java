package io.lanthorn.sink.kafka;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Sink;
import io.lanthorn.fleet.schema.EventCodec;
import io.lanthorn.fleet.schema.HostIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code sink-kafka} instance: the thin adapter between the plugin API and the {@link
 * Forwarder}. Encodes each event in the fleet schema, keyed by {@code host.id}; the host's name is
 * the events' header's (the agent's {@code --host-name}).
 */
public final class KafkaSink implements Sink {
  /** Settings that make delivery safe; the {@code kafka { }} block cannot override them. */
  private static final Set<String> FIXED =
      Set.of(
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

  private final EventCodec codec = new EventCodec();
  private final Producer<byte[], byte[]> producer;
  private final Forwarder forwarder;
  private final String hostId;
  private final byte[] key;
  private final Counter overflow;
  private final Counter spooled;

  private KafkaSink(
      Producer<byte[], byte[]> producer,
      Forwarder forwarder,
      String hostId,
      Counter overflow,
      Counter spooled) {
    this.producer = producer;
    this.forwarder = forwarder;
    this.hostId = hostId;
    this.key = hostId.getBytes(StandardCharsets.UTF_8);
    this.overflow = overflow;
    this.spooled = spooled;
  }

  /** Opens the spool and the producer; never contacts the brokers (they may be away at start). */
  static KafkaSink open(KafkaSinkSettings settings, PluginContext context) throws Exception {
    HostIdentity host = HostIdentity.of(context.hostName(), settings.hostId());
    Spool spool = new Spool(settings.spoolPath(), settings.spoolMaxBytes());
    Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(settings));
    Forwarder forwarder =
        new Forwarder(
            producer,
            settings.topic(),
            spool,
            settings.retryInterval(),
            settings.deliveryTimeout(),
            context.clock(),
            context.logger(),
            settings.bootstrapServers());
    Counter overflow =
        context
            .metrics()
            .counter("spool_overflow", "events lost because the spool was full (not kept)");
    Counter spooled =
        context.metrics().counter("spooled", "events put in the spool (not yet sent)");
    context.metrics().gauge("spool_bytes", "bytes waiting in the spool", spool::bytes);
    context.metrics().gauge("spool_events", "events waiting in the spool", spool::messages);
    context
        .metrics()
        .gauge("acknowledged", "events the brokers acknowledged", forwarder::acknowledged);
    context
        .metrics()
        .gauge(
            "outages", "times the brokers became unreachable (one WARN each)", forwarder::outages);
    context
        .logger()
        .info(
            "sending to {} topic {} as host.name={} host.id={}{}",
            settings.bootstrapServers(),
            settings.topic(),
            host.name(),
            host.id(),
            spool.isEmpty() ? "" : "; " + spool.messages() + " events spooled from before");
    // No connection check here: an unreachable broker must never fail the start. The first
    // batch finds out, warns once and spools.
    return new KafkaSink(producer, forwarder, host.id(), overflow, spooled);
  }

  /** The kinds the fleet schema carries; the pipeline counts the others as unsupported. */
  @Override
  public Set<EventKind> kinds() {
    return EventCodec.KINDS;
  }

  static Map<String, Object> producerProperties(KafkaSinkSettings settings) throws PluginException {
    Map<String, Object> properties = new HashMap<>();
    for (Map.Entry<String, String> entry : settings.kafka().entrySet()) {
      if (FIXED.contains(entry.getKey())) {
        throw new PluginException(
            "sink-kafka.kafka: "
                + entry.getKey()
                + " is fixed by the sink (acks=all, idempotence on); remove it");
      }
      properties.put(entry.getKey(), entry.getValue());
    }
    long deliveryMs = Math.max(settings.deliveryTimeout().toMillis(), 1000);
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
    properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "lanthorn-sink-kafka");
    // delivery.timeout.ms must cover linger.ms + request.timeout.ms.
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
    properties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (deliveryMs / 2));
    // send() waits this long for metadata when no broker answers: bound it the same way.
    properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryMs / 2);
    properties.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
    return properties;
  }

  @Override
  public void write(List<? extends Event> batch) throws Exception {
    List<Spool.Message> messages = new ArrayList<>(batch.size());
    for (Event event : batch) {
      messages.add(new Spool.Message(key, codec.encode(event, hostId)));
    }
    try {
      if (forwarder.forward(messages) == Forwarder.Result.SPOOLED) {
        spooled.add(messages.size());
      }
    } catch (Forwarder.SpoolFullException e) {
      overflow.add(e.events());
      throw new PluginException(e.getMessage());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      forwarder.drain(); // one last try, so a clean stop leaves no spool behind
    } catch (RuntimeException e) {
      // the spool stays for the next start
    }
    producer.close(java.time.Duration.ofSeconds(5));
  }
}

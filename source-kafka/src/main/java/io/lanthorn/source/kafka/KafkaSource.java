package io.lanthorn.source.kafka;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.fleet.schema.EventCodec;
import io.lanthorn.fleet.schema.ForeignMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;

/**
 * The {@code source-kafka} instance: a consumer-group member that hands the fleet's events to this
 * agent's pipeline and commits a batch's offsets only once every sink has it ({@link CommitGate}),
 * so a crash reads again instead of losing. Messages that are not Lanthorn events of a known schema
 * version are skipped and counted ({@code foreign_messages.<reason>}), never a crash.
 */
public final class KafkaSource implements EventSource {
  private static final Set<String> FIXED =
      Set.of(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
  private static final Duration POLL = Duration.ofMillis(200);

  private final EventCodec codec = new EventCodec();
  private final Map<String, Counter> foreign = new ConcurrentHashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Logger log;
  private final Metrics metrics;
  private final Counter received;
  private final Duration commitTimeout;
  private volatile boolean running = true;

  private KafkaSource(
      KafkaConsumer<byte[], byte[]> consumer, Duration commitTimeout, PluginContext context) {
    this.consumer = consumer;
    this.commitTimeout = commitTimeout;
    this.log = context.logger();
    this.metrics = context.metrics();
    this.received =
        metrics.counter("received", "events read from Kafka and handed to the pipeline");
  }

  /** Checks the section: the brokers are named and no fixed consumer setting is overridden. */
  static void validate(PluginConfig config) throws PluginException {
    consumerProperties(config, servers(config));
    config.getDuration("commit-timeout");
  }

  private static String servers(PluginConfig config) throws PluginException {
    String servers = config.getString("bootstrap-servers").strip();
    if (servers.isEmpty()) {
      throw new PluginException(
          "source-kafka.bootstrap-servers is empty: name the brokers, e.g. \"127.0.0.1:9092\"");
    }
    return servers;
  }

  /**
   * Subscribes and starts reading on a thread of its own; never waits for the brokers (they may be
   * away at start: the consumer keeps trying).
   */
  static KafkaSource start(PluginContext context) throws Exception {
    EventEmitter emitter = context.emitter(); // before the consumer exists: nothing to release
    PluginConfig config = context.config();
    String servers = servers(config);
    String topic = config.getString("topic");
    KafkaSource source =
        new KafkaSource(
            new KafkaConsumer<>(consumerProperties(config, servers)),
            config.getDuration("commit-timeout"),
            context);
    CommitGate<Map<TopicPartition, OffsetAndMetadata>> gate =
        new CommitGate<>(context::pipelineStats);
    Thread.ofPlatform().name("source-kafka-poll").start(() -> source.poll(topic, emitter, gate));
    source.log.info("reading {} from {} as group {}", topic, servers, config.getString("group-id"));
    return source;
  }

  static Map<String, Object> consumerProperties(PluginConfig config, String servers)
      throws PluginException {
    Map<String, Object> properties = new HashMap<>();
    for (Map.Entry<String, String> entry : config.getStringMap("kafka").entrySet()) {
      if (FIXED.contains(entry.getKey())) {
        throw new PluginException(
            "source-kafka.kafka: " + entry.getKey() + " is set by the source itself; remove it");
      }
      properties.put(entry.getKey(), entry.getValue());
    }
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString("group-id"));
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "lanthorn-source-kafka");
    properties.putIfAbsent(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
    return properties;
  }

  private void poll(
      String topic, EventEmitter emitter, CommitGate<Map<TopicPartition, OffsetAndMetadata>> gate) {
    Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> owned = consumer) {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              // Another collector takes them over: commit what the sinks have, read the rest again.
              commitWhenStored(gate);
              gate.clear();
              consumed.keySet().removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              log.info("assigned {}", partitions);
            }
          });
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          List<Event> events = new ArrayList<>(records.count());
          for (ConsumerRecord<byte[], byte[]> record : records) {
            decode(record, events);
            consumed.put(
                new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
          }
          emitter.emitAll(events);
          received.add(events.size());
          gate.handedOver(Map.copyOf(consumed));
        }
        Map<TopicPartition, OffsetAndMetadata> ready = gate.ready();
        if (ready != null) {
          consumer.commitSync(ready);
        }
      }
      commitWhenStored(gate);
    } catch (WakeupException e) {
      // stop() while polling: commit what the sinks already have
      try {
        commitWhenStored(gate);
      } catch (RuntimeException commitFailed) {
        log.warn(
            "last commit failed ({}); those events will be read again", commitFailed.toString());
      }
    } catch (RuntimeException e) {
      log.error("stopped reading: {}", e.toString());
    } finally {
      stopped.countDown();
    }
  }

  /** Waits (up to commit-timeout) until the sinks have every batch handed over, and commits. */
  private void commitWhenStored(CommitGate<Map<TopicPartition, OffsetAndMetadata>> gate) {
    long deadline = System.nanoTime() + commitTimeout.toNanos();
    Map<TopicPartition, OffsetAndMetadata> latest = null;
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> ready = gate.ready();
      if (ready != null) {
        latest = ready;
      }
      if (!gate.waiting() || System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(20); // the sinks' counters offer nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (latest != null) {
      consumer.commitSync(latest);
    }
  }

  private void decode(ConsumerRecord<byte[], byte[]> record, List<Event> events) {
    try {
      events.add(codec.decode(record.value()));
    } catch (ForeignMessageException e) {
      Counter counter =
          foreign.computeIfAbsent(
              e.reason(),
              reason -> {
                log.warn(
                    "skipping messages that are not Lanthorn events ({}), first at {}-{}@{}; counted"
                        + " in source-kafka.foreign_messages.{}",
                    e.getMessage(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason);
                return metrics.counter("foreign_messages." + reason, "messages skipped: " + reason);
              });
      counter.add(1);
    }
  }

  /** Messages skipped so far, by reason. */
  Map<String, Long> foreignMessages() {
    Map<String, Long> counts = new HashMap<>();
    foreign.forEach((reason, counter) -> counts.put(reason, counter.get()));
    return counts;
  }

  /** Stops reading once the sinks have what was read (up to commit-timeout) and commits it. */
  @Override
  public void stop() throws Exception {
    running = false;
    consumer.wakeup();
    stopped.await();
  }

  @Override
  public void close() throws Exception {
    if (running) {
      stop();
    }
  }
}

package io.lanthorn.sink.kafka;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;

/**
 * Delivers encoded messages to Kafka, a batch counting as delivered only once the brokers
 * acknowledged every message of it (acks=all); what they did not acknowledge goes to the {@link
 * Spool}, and the spool is drained, oldest first, before anything newer is sent. Independent of the
 * plugin API, so it can move to any plugin shape unchanged.
 *
 * <p>A message acknowledged and then resent from the spool (the broker answered too late) arrives
 * twice; its event id lets the collector store it once.
 *
 * <p>Not thread-safe: the sink's writing thread only.
 */
final class Forwarder {
  /** What happened to a batch handed to {@link #forward}. */
  enum Result {
    /** The brokers acknowledged all of it. */
    ACKNOWLEDGED,
    /** Some or all of it is in the spool, waiting for the brokers. */
    SPOOLED
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Spool spool;
  private final Duration retryInterval;
  private final long sendBudgetNanos;
  private final Clock clock;
  private final Logger log;
  private final String brokers;

  private Instant nextAttempt = Instant.MIN;
  private boolean unreachable;
  private long acknowledged;
  private long outages;

  Forwarder(
      Producer<byte[], byte[]> producer,
      String topic,
      Spool spool,
      Duration retryInterval,
      Duration sendBudget,
      Clock clock,
      Logger log,
      String brokers) {
    this.producer = producer;
    this.topic = topic;
    this.spool = spool;
    this.sendBudgetNanos = sendBudget.toNanos();
    this.retryInterval = retryInterval;
    this.clock = clock;
    this.log = log;
    this.brokers = brokers;
  }

  /**
   * Sends a batch, or spools what the brokers did not acknowledge.
   *
   * @throws SpoolFullException when the brokers are away and the spool has no room: nothing of the
   *     batch was kept
   */
  Result forward(List<Spool.Message> batch) throws IOException, SpoolFullException {
    if (!spool.isEmpty() && !clock.instant().isBefore(nextAttempt)) {
      drain();
    }
    if (!spool.isEmpty()) {
      keep(batch);
      return Result.SPOOLED;
    }
    List<Spool.Message> missed = send(batch);
    if (missed.isEmpty()) {
      return Result.ACKNOWLEDGED;
    }
    keep(missed);
    return Result.SPOOLED;
  }

  /** Sends what is spooled, oldest first, until it is empty or the brokers fail again. */
  void drain() throws IOException {
    long drained = 0;
    while (!spool.isEmpty()) {
      List<Spool.Message> oldest = spool.oldest();
      if (!send(oldest).isEmpty()) {
        nextAttempt = clock.instant().plus(retryInterval);
        return; // sent again whole next time: the ids make the repeats harmless
      }
      spool.removeOldest();
      drained += oldest.size();
    }
    if (unreachable) {
      unreachable = false;
      log.info("brokers {} reachable again: sent the {} spooled events", brokers, drained);
    }
  }

  /** Messages the brokers acknowledged since start. */
  long acknowledged() {
    return acknowledged;
  }

  /** Times the brokers became unreachable (each logged once, as a WARN). */
  long outages() {
    return outages;
  }

  /**
   * Sends every message and waits for its acknowledgement; returns those that failed. Handing the
   * messages to the producer stops once it took longer than the send budget: a broker that just
   * died leaves the producer's metadata stale, and then every send() waits up to max.block.ms
   * (measured: 100 messages, 150 s), which would hold the sink's thread for minutes.
   */
  private List<Spool.Message> send(List<Spool.Message> batch) {
    List<Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
    RuntimeException refused = null;
    long started = System.nanoTime();
    for (Spool.Message message : batch) {
      if (System.nanoTime() - started > sendBudgetNanos) {
        refused =
            new TimeoutException(
                "handing the batch to the producer took longer than "
                    + Duration.ofNanos(sendBudgetNanos).toMillis()
                    + " ms");
        break;
      }
      try {
        futures.add(producer.send(new ProducerRecord<>(topic, message.key(), message.value())));
      } catch (RuntimeException e) {
        // Typically no metadata within max.block.ms: the next sends would wait as long again.
        refused = e;
        break;
      }
    }
    producer.flush(); // returns once every send completed, acknowledged or failed
    List<Spool.Message> missed = new ArrayList<>();
    Throwable cause = refused;
    for (int i = 0; i < batch.size(); i++) {
      if (i >= futures.size()) {
        missed.add(batch.get(i));
        continue;
      }
      try {
        futures.get(i).get();
        acknowledged++;
      } catch (ExecutionException e) {
        missed.add(batch.get(i));
        cause = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        missed.add(batch.get(i));
        cause = e;
      }
    }
    if (!missed.isEmpty() && !unreachable) {
      unreachable = true;
      outages++;
      log.warn(
          "brokers {} unreachable ({}); spooling to {} (up to {} bytes), trying again every {} ms",
          brokers,
          cause == null ? "no acknowledgement" : cause.toString(),
          spool.directory(),
          spool.maxBytes(),
          retryInterval.toMillis());
    }
    if (!missed.isEmpty()) {
      nextAttempt = clock.instant().plus(retryInterval);
    }
    return missed;
  }

  private void keep(List<Spool.Message> messages) throws IOException, SpoolFullException {
    if (!spool.append(messages)) {
      throw new SpoolFullException(messages.size(), spool);
    }
  }

  /** The spool has no room for a batch the brokers did not take. */
  static final class SpoolFullException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int events;

    SpoolFullException(int events, Spool spool) {
      super(
          "sink-kafka: spool full ("
              + spool.bytes()
              + " of "
              + spool.maxBytes()
              + " bytes in "
              + spool.directory()
              + ") and the brokers unreachable: "
              + events
              + " events not kept; bring the brokers back or raise sink-kafka.spool.max-size");
      this.events = events;
    }

    int events() {
      return events;
    }
  }
}

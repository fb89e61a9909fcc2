package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Event;
import io.lanthorn.api.Sink;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.Failures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one sink from its own bounded queue on its own thread, so a slow sink delays no other.
 *
 * <p>It writes batches of up to {@code max-batch-size} events, waiting at most {@code
 * flush-interval} for a batch to fill. A batch that fails is retried with back-off; after the last
 * attempt its events are counted as failed for this sink and logged as an error: never silently.
 */
final class SinkWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SinkWorker.class);
  private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Running<Sink> sink;
  private final EventBuffer queue;
  private final PipelineSettings settings;
  private final PipelineCounters counters;
  private final Counter written;
  private final Counter failed;
  private final Counter unsupported;
  private final KindFilter kinds;
  private final List<Event> batch;
  private volatile int inFlight;
  private long lastErrorLog;
  private long suppressedErrors;

  SinkWorker(Running<Sink> sink, PipelineSettings settings, PipelineCounters counters) {
    this.sink = sink;
    this.queue = new EventBuffer(settings.sinkQueueCapacity(), settings.maxBatchSize());
    this.settings = settings;
    this.counters = counters;
    this.written = counters.written(sink.name());
    this.failed = counters.failed(sink.name());
    this.unsupported = counters.unsupported(sink.name());
    this.kinds = KindFilter.of(sink.service().kinds());
    this.batch = new ArrayList<>(settings.maxBatchSize());
  }

  String name() {
    return sink.name();
  }

  /** Events of kinds the sink does not take, so far. */
  long unsupported() {
    return unsupported.get();
  }

  /** Events waiting in this sink's queue. */
  int queued() {
    return queue.size();
  }

  /**
   * Queues a batch for this sink; what does not fit is dropped and counted (overflow {@code drop}),
   * or waited for (overflow {@code block}).
   */
  void offer(List<Event> all) {
    List<Event> events = kinds.select(all);
    if (events.size() < all.size()) {
      unsupported.add(all.size() - events.size());
    }
    boolean wait = settings.overflow() == OverflowPolicy.BLOCK;
    int added = queue.add(events, 0, wait);
    if (added < events.size()) {
      String reason = wait || queue.isClosed() ? "shutdown_timeout" : "sink_queue_full";
      counters.dropped(reason + "." + sink.name(), events.size() - added);
    }
  }

  /** No more events will be offered: the worker writes what is queued, then ends. */
  void endOfInput() {
    queue.close();
  }

  /**
   * Gives up on what is still queued or being written (the drain timed out): counts it as dropped
   * for this sink.
   */
  void abandon() {
    queue.close();
    List<Event> left = new ArrayList<>();
    try {
      while (queue.take(left, Integer.MAX_VALUE, 0) > 0) {
        // collects everything still queued
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    counters.dropped("shutdown_timeout." + sink.name(), left.size() + (long) inFlight);
  }

  @Override
  public void run() {
    long lingerNanos = settings.flushInterval().toNanos();
    try {
      while (queue.take(batch, settings.maxBatchSize(), lingerNanos) > 0) {
        inFlight = batch.size();
        write();
        inFlight = 0;
        batch.clear();
      }
    } catch (InterruptedException e) {
      // Interrupted by a drain that timed out: abandon() counts what is left.
      Thread.currentThread().interrupt();
    }
  }

  private void write() throws InterruptedException {
    List<Event> view = Collections.unmodifiableList(batch);
    RetryPolicy retry = settings.retry();
    for (int attempt = 1; ; attempt++) {
      try {
        ContextClassLoader.run(sink.loader(), () -> sink.service().write(view));
        written.add(batch.size());
        return;
      } catch (InterruptedException e) {
        // The drain timed out while the sink waited: stop here, abandon() counts the batch.
        Thread.currentThread().interrupt();
        throw e;
      } catch (Exception | LinkageError e) {
        if (attempt >= retry.maxAttempts()) {
          failed.add(batch.size());
          logFailure(e, attempt);
          return;
        }
        Duration wait = retry.backoffAfter(attempt);
        log.warn(
            "sink {}: writing {} events failed (attempt {} of {}), retrying in {} ms: {}",
            sink.name(),
            batch.size(),
            attempt,
            retry.maxAttempts(),
            wait.toMillis(),
            Failures.describe(e));
        Thread.sleep(wait);
      }
    }
  }

  /** One error line per failed batch, at most every ten seconds, saying how many were lost. */
  private void logFailure(Throwable e, int attempts) {
    long now = System.nanoTime();
    if (lastErrorLog != 0 && now - lastErrorLog < ERROR_LOG_INTERVAL_NANOS) {
      suppressedErrors++;
      return;
    }
    lastErrorLog = now;
    log.error(
        "sink {}: {} events are LOST for this sink after {} attempts ({} failed total{}): {}",
        sink.name(),
        batch.size(),
        attempts,
        failed.get(),
        suppressedErrors == 0 ? "" : ", " + suppressedErrors + " similar errors not shown",
        Failures.describe(e));
    log.debug("sink {}: write failure", sink.name(), e);
    suppressedErrors = 0;
  }
}

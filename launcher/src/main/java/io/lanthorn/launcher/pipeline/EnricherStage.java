package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.Failures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline thread: takes batches from the sources' hand-off, runs every enricher over each
 * batch in the configured order, and hands the result to every sink's queue.
 *
 * <p>It takes whatever is waiting, up to a full batch, without lingering: enriching costs little
 * per batch, so waiting would only add latency. A failing enricher leaves the batch as it was
 * before that enricher (logged and counted in {@code lanthorn.enricher.<name>.failed}).
 */
final class EnricherStage implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(EnricherStage.class);
  private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final EventBuffer input;
  private final List<Slot> enrichers;
  private final List<SinkWorker> sinks;
  private final int maxBatchSize;
  private final Counter enriched;

  EnricherStage(
      EventBuffer input,
      List<Running<Enricher>> enrichers,
      List<SinkWorker> sinks,
      int maxBatchSize,
      Counter enriched,
      MetricsRegistry registry) {
    this.input = input;
    this.enrichers =
        enrichers.stream()
            .map(e -> new Slot(e, registry.counter("lanthorn.enricher." + e.name() + ".failed")))
            .toList();
    this.sinks = sinks;
    this.maxBatchSize = maxBatchSize;
    this.enriched = enriched;
  }

  @Override
  public void run() {
    List<Event> batch = new ArrayList<>(maxBatchSize);
    List<Event> before = new ArrayList<>(maxBatchSize);
    try {
      while (input.take(batch, maxBatchSize, 0) > 0) {
        for (Slot slot : enrichers) {
          slot.apply(batch, before);
        }
        enriched.add(batch.size());
        for (SinkWorker sink : sinks) {
          sink.offer(batch);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      // Interrupted by a drain that timed out: the pipeline counts what is left.
      Thread.currentThread().interrupt();
    } finally {
      sinks.forEach(SinkWorker::endOfInput);
    }
  }

  private static final class Slot {
    private final Running<Enricher> enricher;
    private final Counter errors;
    private final KindFilter kinds;
    private final List<Event> selected = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private long lastErrorLog;

    Slot(Running<Enricher> enricher, Counter errors) {
      this.enricher = enricher;
      this.errors = errors;
      this.kinds = KindFilter.of(enricher.service().kinds());
    }

    /**
     * Enriches the events of the kinds the enricher takes, in place; on failure puts back the
     * events as they were before.
     */
    void apply(List<Event> batch, List<Event> before) {
      before.clear();
      before.addAll(batch);
      String problem;
      try {
        if (kinds.acceptsAll(batch)) {
          ContextClassLoader.run(enricher.loader(), () -> enricher.service().enrichAll(batch));
          if (batch.size() == before.size() && !batch.contains(null)) {
            return;
          }
        } else if (enrichSelected(batch)) {
          return;
        }
        problem = "it removed, added or nulled events in the batch";
      } catch (Exception | LinkageError e) {
        problem = Failures.describe(e);
      }
      batch.clear();
      batch.addAll(before);
      errors.add(batch.size());
      long now = System.nanoTime();
      if (lastErrorLog == 0 || now - lastErrorLog > ERROR_LOG_INTERVAL_NANOS) {
        lastErrorLog = now;
        log.warn(
            "enricher {}: failed on a batch of {} events, which pass on without its facts ({} so"
                + " far): {}",
            enricher.name(),
            batch.size(),
            errors.get(),
            problem);
      }
    }

    /** Enriches only the events it takes, then puts them back in their places. */
    private boolean enrichSelected(List<Event> batch) throws Exception {
      selected.clear();
      positions.clear();
      for (int i = 0; i < batch.size(); i++) {
        if (kinds.accepts(batch.get(i))) {
          selected.add(batch.get(i));
          positions.add(i);
        }
      }
      if (selected.isEmpty()) {
        return true;
      }
      ContextClassLoader.run(enricher.loader(), () -> enricher.service().enrichAll(selected));
      if (selected.size() != positions.size() || selected.contains(null)) {
        return false;
      }
      for (int i = 0; i < positions.size(); i++) {
        batch.set(positions.get(i), selected.get(i));
      }
      return true;
    }
  }
}

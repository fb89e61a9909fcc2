package io.lanthorn.source.kafka;

import io.lanthorn.api.PipelineStats;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides when the offsets of a batch may be committed: once every sink has handled as many events
 * as the pipeline had received when the batch was handed over. Each sink takes events in the order
 * the pipeline received them, so reaching that count means it has the batch (written, or failed
 * after its retries and counted as such, like any local event; events of a kind the sink does not
 * take, such as a threat feed's version, count as done with).
 *
 * <p>This needs nothing beyond today's plugin API ({@link PipelineStats}); FLEET-NEEDS.md proposes
 * a direct acknowledgement for the new API. Independent of Kafka: offsets are an opaque type.
 *
 * @param <O> what is committed, e.g. Kafka's offsets of a batch
 */
final class CommitGate<O> {
  private record Pending<O>(O offsets, long mark) {}

  private final Supplier<PipelineStats> stats;
  private final Deque<Pending<O>> pending = new ArrayDeque<>();

  CommitGate(Supplier<PipelineStats> stats) {
    this.stats = stats;
  }

  /** Records a batch just handed to the pipeline (call after the emit returned). */
  void handedOver(O offsets) {
    pending.addLast(new Pending<>(offsets, stats.get().received()));
  }

  /**
   * The newest handed-over batch every sink has now, removing it and those before it; {@code null}
   * when none is complete. Offsets are cumulative, so committing the newest covers the others.
   */
  O ready() {
    if (pending.isEmpty()) {
      return null;
    }
    long handled = handledByEverySink(stats.get());
    O newest = null;
    while (!pending.isEmpty() && pending.peekFirst().mark() <= handled) {
      newest = pending.pollFirst().offsets();
    }
    return newest;
  }

  /** Whether batches wait for their sinks. */
  boolean waiting() {
    return !pending.isEmpty();
  }

  /** Forgets the batches waiting (their partitions went to another collector). */
  void clear() {
    pending.clear();
  }

  static long handledByEverySink(PipelineStats stats) {
    long dropped = stats.totalDropped();
    long least = Long.MAX_VALUE;
    for (Map.Entry<String, Long> written : stats.writtenBySink().entrySet()) {
      long failed = stats.failedBySink().getOrDefault(written.getKey(), 0L);
      long skipped = stats.skippedBySink().getOrDefault(written.getKey(), 0L);
      least = Math.min(least, written.getValue() + failed + skipped + dropped);
    }
    return least == Long.MAX_VALUE ? stats.received() : least;
  }
}

package io.lanthorn.source.kafka;

import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's pipeline reduced to what source-kafka relies on: a bounded queue, one sink written
 * batch by batch on its own thread (retried until it succeeds), and the counters {@link
 * PipelineStats} reports.
 */
final class MiniPipeline implements EventEmitter, AutoCloseable {
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(4096);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final String name;
  private final Sink sink;
  private final Thread writer;
  private volatile boolean running = true;

  MiniPipeline(String name, Sink sink) {
    this.name = name;
    this.sink = sink;
    this.writer = Thread.ofPlatform().name("mini-pipeline-" + name).start(this::write);
  }

  @Override
  public void emit(Event event) {
    try {
      queue.put(event);
      received.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void reportLost(String reason, long count) {}

  PipelineStats stats() {
    return new PipelineStats(
        received.get(), Map.of(), Map.of(), Map.of(name, written.get()), Map.of());
  }

  private void write() {
    List<Event> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Event first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 499);
        while (true) {
          try {
            sink.write(batch);
            break;
          } catch (Exception e) {
            Thread.sleep(100); // the agent retries with back-off too
          }
        }
        written.addAndGet(batch.size());
        batch.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws Exception {
    running = false;
    writer.join();
    sink.close();
  }
}

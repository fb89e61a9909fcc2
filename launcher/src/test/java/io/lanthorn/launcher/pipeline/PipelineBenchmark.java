package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Sink;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput of the pipeline alone: one source thread emitting batches, two enrichers that each add
 * an attribute, two counting sinks. Prints events per second; not a test (speed targets live in
 * benchmarks, not in assertions).
 *
 * <p>Run: see launcher/README.md, "Measured".
 */
public final class PipelineBenchmark {
  private static final AttributeKey<String> TAG = AttributeKey.stringKey("bench.tag");
  private static final AttributeKey<Long> SEQ = AttributeKey.longKey("bench.seq");

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int emitBatch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    for (int round = 1; round <= 3; round++) {
      run(round, events, emitBatch);
    }
  }

  private static void run(int round, int events, int emitBatch) throws Exception {
    CountingSink first = new CountingSink("count-a");
    CountingSink second = new CountingSink("count-b");
    ClassLoader loader = PipelineBenchmark.class.getClassLoader();
    PipelineSettings settings =
        new PipelineSettings(
            65_536,
            65_536,
            1_024,
            Duration.ofMillis(100),
            OverflowPolicy.BLOCK,
            List.of(),
            new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)),
            Duration.ZERO,
            Duration.ofMinutes(5));
    Pipeline pipeline =
        new Pipeline(
            settings,
            List.of(
                new Running<Enricher>("tag", new Tagging(), loader),
                new Running<Enricher>("seq", new Sequencing(), loader)),
            List.of(
                new Running<Sink>(first.name(), first, loader),
                new Running<Sink>(second.name(), second, loader)),
            new MetricsRegistry());
    List<ConnectionEvent> template = new ArrayList<>(emitBatch);
    for (int i = 0; i < emitBatch; i++) {
      template.add(event(i));
    }
    pipeline.start();
    long start = System.nanoTime();
    for (int sent = 0; sent < events; sent += emitBatch) {
      pipeline.emitter().emitAll(template);
    }
    pipeline.drain();
    long nanos = System.nanoTime() - start;
    long delivered = first.count.sum();
    System.out.printf(
        Locale.ROOT,
        "round %d: %,d events through 2 enrichers into 2 sinks in %.2f s = %,.0f events/s"
            + " (sink b got %,d; %s)%n",
        round,
        delivered,
        nanos / 1e9,
        delivered * 1e9 / nanos,
        second.count.sum(),
        pipeline.statusLine());
  }

  private static ConnectionEvent event(int i) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(InetAddress.getLoopbackAddress())
        .sourcePort(40_000 + i % 1_000)
        .destinationAddress(InetAddress.getLoopbackAddress())
        .destinationPort(443)
        .comm("bench")
        .outcome(Outcome.ESTABLISHED)
        .build();
  }

  private abstract static class BenchEnricher implements Enricher {
    @Override
    public Set<EventKind> kinds() {
      return EnumSet.allOf(EventKind.class);
    }

    @Override
    public void close() {}
  }

  private static final class Tagging extends BenchEnricher {
    @Override
    public Event enrich(Event event) {
      return event.withAttribute(TAG, "web");
    }
  }

  private static final class Sequencing extends BenchEnricher {
    private long next;

    @Override
    public Event enrich(Event event) {
      return event.withAttribute(SEQ, next++);
    }
  }

  private static final class CountingSink implements Sink {
    private final String name;
    final LongAdder count = new LongAdder();

    CountingSink(String name) {
      this.name = name;
    }

    String name() {
      return name;
    }

    @Override
    public Set<EventKind> kinds() {
      return EnumSet.allOf(EventKind.class);
    }

    @Override
    public void write(List<? extends Event> batch) {
      count.add(batch.size());
    }

    @Override
    public void close() {}
  }
}

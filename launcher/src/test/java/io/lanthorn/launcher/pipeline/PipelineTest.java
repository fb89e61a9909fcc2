package io.lanthorn.launcher.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.Sink;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static final AttributeKey<String> TRAIL = AttributeKey.stringKey("test.trail");
  private static final Duration LONG = Duration.ofSeconds(30);

  private final MetricsRegistry registry = new MetricsRegistry();
  private final List<Thread> producers = new ArrayList<>();
  private Pipeline pipeline;

  @AfterEach
  void drainWhatIsLeft() throws Exception {
    for (Thread producer : producers) {
      producer.join();
    }
    if (pipeline != null) {
      pipeline.drain();
    }
  }

  private static PipelineSettings settings(
      int queue, int sinkQueue, int batch, OverflowPolicy overflow, int attempts, Duration drain) {
    return new PipelineSettings(
        queue,
        sinkQueue,
        batch,
        Duration.ofMillis(20),
        overflow,
        List.of(),
        new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(2)),
        Duration.ZERO,
        drain);
  }

  private static PipelineSettings settings(int batch, OverflowPolicy overflow) {
    return settings(10_000, 10_000, batch, overflow, 1, LONG);
  }

  private Pipeline pipeline(PipelineSettings settings, List<Enricher> enrichers, Sink... sinks) {
    pipeline =
        new Pipeline(
            settings,
            enrichers.stream().map(e -> new Running<>(nameOf(e), e, loader())).toList(),
            List.of(sinks).stream().map(s -> new Running<>(nameOf(s), s, loader())).toList(),
            registry);
    return pipeline;
  }

  /** Test enrichers and sinks carry their names, which the agent would take from the factory. */
  private interface Named {
    String name();
  }

  private static String nameOf(Object instance) {
    return ((Named) instance).name();
  }

  private static ClassLoader loader() {
    return PipelineTest.class.getClassLoader();
  }

  private static ConnectionEvent event(int port) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(InetAddress.getLoopbackAddress())
        .destinationAddress(InetAddress.getLoopbackAddress())
        .destinationPort(port)
        .comm("test")
        .outcome(Outcome.ESTABLISHED)
        .build();
  }

  private static List<ConnectionEvent> events(int from, int to) {
    return IntStream.range(from, to).mapToObj(PipelineTest::event).toList();
  }

  private static List<Integer> ports(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /** Emits {@code count} events in batches of ten from its own thread, as a source would. */
  private void emitInBackground(Pipeline target, int count) {
    Thread producer =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < count; i += 10) {
                    target.emitter().emitAll(events(i, Math.min(i + 10, count)));
                  }
                });
    producers.add(producer);
  }

  private void awaitProducers() throws InterruptedException {
    for (Thread producer : producers) {
      producer.join();
    }
  }

  @Test
  void unlistedEnrichersRunAfterThoseTheirPluginsReadFromThenByName() {
    List<Running<Enricher>> all =
        List.of(tagger("threat"), tagger("docker"), tagger("dns"), tagger("zeta"), tagger("a"))
            .stream()
            .map(e -> new Running<Enricher>(e.name(), e, loader()))
            .toList();
    Map<String, List<String>> after =
        Map.of("threat", List.of("docker", "dns", "not-installed"), "a", List.of("zeta"));
    assertThat(EnricherOrder.sort(all, List.of(), after))
        .extracting(Running::name)
        .containsExactly("dns", "docker", "threat", "zeta", "a");
    // The configured list still comes first, whatever the declarations.
    assertThat(EnricherOrder.sort(all, List.of("threat"), after))
        .extracting(Running::name)
        .containsExactly("threat", "dns", "docker", "zeta", "a");
    // A cycle is broken by name instead of losing an enricher.
    assertThat(
            EnricherOrder.sort(
                all, List.of(), Map.of("dns", List.of("docker"), "docker", List.of("dns"))))
        .extracting(Running::name)
        .containsExactly("a", "threat", "zeta", "dns", "docker");
  }

  @Test
  void enrichersRunInTheConfiguredOrderThenTheRestByName() throws Exception {
    List<Running<Enricher>> ordered =
        EnricherOrder.sort(
            List.of(tagger("a"), tagger("b"), tagger("c"), tagger("d")).stream()
                .map(e -> new Running<Enricher>(e.name(), e, loader()))
                .toList(),
            List.of("c", "a", "not-installed"),
            Map.of());
    assertThat(ordered).extracting(Running::name).containsExactly("c", "a", "b", "d");

    RecordingSink sink = new RecordingSink("sink");
    Pipeline p =
        pipeline(
            settings(100, OverflowPolicy.BLOCK),
            ordered.stream().map(Running::service).toList(),
            sink);
    p.start();
    p.emitter().emitAll(events(0, 50));
    assertThat(p.drain()).isTrue();

    assertThat(sink.trails()).hasSize(50).containsOnly("c,a,b,d");
  }

  /** Takes connections only, as the web sink does. */
  private static final class ConnectionsOnly implements Sink, Named {
    private final AtomicInteger written = new AtomicInteger();

    @Override
    public String name() {
      return "connections-only";
    }

    @Override
    public Set<EventKind> kinds() {
      return Set.of(EventKind.TCP_CONNECT);
    }

    @Override
    public void write(List<? extends Event> batch) {
      written.addAndGet(batch.size());
    }

    @Override
    public void close() {}
  }

  @Test
  void eventsOfAKindASinkDoesNotTakeAreCountedAsSkippedForIt() throws Exception {
    ConnectionsOnly sink = new ConnectionsOnly();
    RecordingSink all = new RecordingSink("all");
    Pipeline p = pipeline(settings(100, OverflowPolicy.BLOCK), List.of(), sink, all);
    p.start();
    p.emitter().emitAll(events(0, 5));
    DnsEvent answer =
        new DnsEvent(
            EventHeader.builder().comm("test").build(),
            "a.test",
            DnsEvent.TYPE_A,
            0,
            List.of(),
            InetAddress.getLoopbackAddress(),
            53,
            Protocol.UDP,
            Attributes.empty());
    p.emitter().emitAll(List.of(answer, answer));
    assertThat(p.drain()).isTrue();

    PipelineStats stats = p.stats();
    assertThat(sink.written.get()).isEqualTo(5);
    assertThat(stats.writtenBySink())
        .containsEntry("connections-only", 5L)
        .containsEntry("all", 7L);
    // Written plus skipped is every event received: what a consumer waiting for the sinks needs.
    assertThat(stats.skippedBySink())
        .containsEntry("connections-only", 2L)
        .containsEntry("all", 0L);
  }

  @Test
  void batchesHoldAtMostMaxBatchSizeEventsInEmissionOrder() throws Exception {
    RecordingSink sink = new RecordingSink("sink");
    Pipeline p = pipeline(settings(100, OverflowPolicy.BLOCK), List.of(), sink);
    p.emitter().emitAll(events(0, 1_000)); // waiting in the hand-off before the pipeline starts
    p.start();
    assertThat(p.drain()).isTrue();

    assertThat(sink.batchSizes()).hasSize(10).containsOnly(100);
    assertThat(sink.ports()).isEqualTo(ports(0, 1_000));
  }

  @Test
  void aLoneEventIsWrittenWithoutWaitingForItsBatchToFill() {
    RecordingSink sink = new RecordingSink("sink");
    Pipeline p = pipeline(settings(1_000, OverflowPolicy.BLOCK), List.of(), sink);
    p.start();
    p.emitter().emit(event(7));

    await().atMost(Duration.ofSeconds(10)).until(() -> sink.ports().equals(List.of(7)));
  }

  @Test
  void drainDeliversEveryAcceptedEventToEverySink() throws Exception {
    RecordingSink slow = new RecordingSink("slow", Duration.ofMillis(5));
    RecordingSink fast = new RecordingSink("fast");
    Pipeline p = pipeline(settings(10, OverflowPolicy.BLOCK), List.of(), slow, fast);
    p.start();
    emitInBackground(p, 500);
    awaitProducers();

    assertThat(p.drain()).isTrue();

    assertThat(slow.ports()).isEqualTo(ports(0, 500));
    assertThat(fast.ports()).isEqualTo(ports(0, 500));
    PipelineStats stats = p.stats();
    assertThat(stats.received()).isEqualTo(500);
    assertThat(stats.writtenBySink()).isEqualTo(Map.of("slow", 500L, "fast", 500L));
    assertThat(stats.dropped()).isEmpty();
  }

  @Test
  void blockPolicyLosesNothingBehindASlowSinkEvenWithTinyQueues() throws Exception {
    RecordingSink slow = new RecordingSink("slow", Duration.ofMillis(1));
    Pipeline p = pipeline(settings(20, 20, 5, OverflowPolicy.BLOCK, 1, LONG), List.of(), slow);
    p.start();
    emitInBackground(p, 2_000);
    awaitProducers();

    assertThat(p.drain()).isTrue();

    assertThat(slow.ports()).isEqualTo(ports(0, 2_000));
    assertThat(p.stats().dropped()).isEmpty();
  }

  @Test
  void dropPolicyCountsDropsBehindASlowSinkWithoutDelayingTheOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    RecordingSink stuck = new RecordingSink("stuck", release);
    RecordingSink fast = new RecordingSink("fast");
    Pipeline p =
        pipeline(settings(10_000, 200, 10, OverflowPolicy.DROP, 1, LONG), List.of(), stuck, fast);
    p.start();
    try {
      // Paced like a real source, so that only the stuck sink's queue can fill up.
      Thread producer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 1_000; i += 10) {
                      p.emitter().emitAll(events(i, i + 10));
                      LockSupport.parkNanos(500_000);
                    }
                  });
      producers.add(producer);

      // The fast sink gets everything while the stuck one holds up nothing but itself.
      await().atMost(Duration.ofSeconds(20)).until(() -> fast.ports().size() == 1_000);
    } finally {
      release.countDown();
    }
    assertThat(p.drain()).isTrue();

    PipelineStats stats = p.stats();
    long dropped = stats.dropped().getOrDefault("sink_queue_full.stuck", 0L);
    assertThat(dropped).isPositive();
    assertThat(stuck.ports().size() + dropped).isEqualTo(1_000);
    assertThat(stats.writtenBySink().get("stuck")).isEqualTo(stuck.ports().size());
    assertThat(stats.writtenBySink().get("fast")).isEqualTo(1_000);
    assertThat(p.statusLine())
        .contains("received=1000 ")
        .contains("dropped=" + dropped + " (sink_queue_full.stuck=" + dropped + ")")
        .contains("| fast written=1000 failed=0 queued=0");
  }

  @Test
  void dropPolicyCountsEventsAFullHandOffRefuses() throws Exception {
    RecordingSink sink = new RecordingSink("sink");
    Pipeline p = pipeline(settings(10, 10_000, 10, OverflowPolicy.DROP, 1, LONG), List.of(), sink);
    p.emitter().emitAll(events(0, 25)); // nothing takes from the hand-off yet
    p.emitter().emit(event(25));

    assertThat(p.stats().received()).isEqualTo(26);
    assertThat(p.stats().dropped()).isEqualTo(Map.of("queue_full", 16L));
    p.start();
    assertThat(p.drain()).isTrue();
    assertThat(sink.ports()).isEqualTo(ports(0, 10));
  }

  @Test
  void aFailingSinkIsRetriedThenItsEventsAreCountedAsFailed() throws Exception {
    FailingSink broken = new FailingSink("broken", Integer.MAX_VALUE);
    FailingSink flaky = new FailingSink("flaky", 1);
    Pipeline p =
        pipeline(
            settings(10_000, 10_000, 10, OverflowPolicy.BLOCK, 3, LONG), List.of(), broken, flaky);
    p.emitter().emitAll(events(0, 20));
    p.start();
    assertThat(p.drain()).isTrue();

    PipelineStats stats = p.stats();
    assertThat(stats.failedBySink()).isEqualTo(Map.of("broken", 20L, "flaky", 0L));
    assertThat(stats.writtenBySink()).isEqualTo(Map.of("broken", 0L, "flaky", 20L));
    assertThat(broken.attempts.get()).isEqualTo(2 * 3); // two batches, three attempts each
    assertThat(flaky.attempts.get()).isEqualTo(3); // one failure, then two batches
  }

  @Test
  void aFailingEnricherLetsEventsPassUnenrichedAndIsCounted() throws Exception {
    RecordingSink sink = new RecordingSink("sink");
    Enricher throwing =
        new TestEnricher("throwing") {
          @Override
          public Event enrich(Event event) {
            throw new IllegalStateException("metadata service down");
          }
        };
    Enricher nulling =
        new TestEnricher("nulling") {
          @Override
          public Event enrich(Event event) {
            return null;
          }
        };
    Pipeline p =
        pipeline(
            settings(100, OverflowPolicy.BLOCK), List.of(throwing, tagger("ok"), nulling), sink);
    p.emitter().emitAll(events(0, 30));
    p.start();
    assertThat(p.drain()).isTrue();

    assertThat(sink.trails()).hasSize(30).containsOnly("ok");
    assertThat(registry.snapshot())
        .containsEntry("lanthorn.enricher.throwing.failed", 30L)
        .containsEntry("lanthorn.enricher.nulling.failed", 30L)
        .containsEntry("lanthorn.enricher.ok.failed", 0L);
  }

  @Test
  void lossesAtTheSourceAndEventsAfterStopAreCountedByReason() throws Exception {
    Pipeline p = pipeline(settings(10, OverflowPolicy.BLOCK), List.of(), new RecordingSink("s"));
    p.start();
    p.emitter().reportLost("Kernel Ring Full", 5);
    p.emitter().reportLost("kernel_ring_full", 2);
    p.emitter().reportLost("other", 0);
    assertThat(p.drain()).isTrue();
    p.emitter().emit(event(1));

    assertThat(p.stats().lostAtSource()).isEqualTo(Map.of("kernel_ring_full", 7L));
    assertThat(p.stats().dropped()).isEqualTo(Map.of("after_stop", 1L));
    assertThat(registry.snapshot()).containsEntry("lanthorn.lost_at_source.kernel_ring_full", 7L);
  }

  @Test
  void aSinkStillBusyAtTheDrainTimeoutHasWhatIsLeftCountedAsDropped() throws Exception {
    RecordingSink hung = new RecordingSink("hung", new CountDownLatch(1));
    RecordingSink fine = new RecordingSink("fine");
    Pipeline p =
        pipeline(
            settings(10_000, 10_000, 10, OverflowPolicy.BLOCK, 1, Duration.ofMillis(200)),
            List.of(),
            hung,
            fine);
    p.emitter().emitAll(events(0, 30));
    p.start();
    // The other sink is not held up by the hung one (awaited: on a loaded machine its thread may
    // need longer than the drain deadline just to be scheduled).
    await().atMost(LONG).until(() -> fine.ports().size() == 30);

    assertThat(p.drain()).isFalse();

    assertThat(fine.ports()).hasSize(30);
    assertThat(p.stats().dropped()).isEqualTo(Map.of("shutdown_timeout.hung", 30L));
    pipeline = null; // already drained
  }

  private static TestEnricher tagger(String name) {
    return new TestEnricher(name) {
      @Override
      public Event enrich(Event event) {
        String trail = event.attribute(TRAIL);
        return event.withAttribute(TRAIL, trail == null ? name : trail + "," + name);
      }
    };
  }

  private abstract static class TestEnricher implements Enricher, Named {
    private final String name;

    TestEnricher(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<EventKind> kinds() {
      return EnumSet.allOf(EventKind.class);
    }

    @Override
    public void close() {}
  }

  /** Records what it is given; optionally slow, or held until a latch opens. */
  private static final class RecordingSink implements Sink, Named {
    private final String name;
    private final Duration delay;
    private final CountDownLatch gate;
    private final List<List<Event>> batches = new ArrayList<>();

    RecordingSink(String name) {
      this(name, Duration.ZERO, null);
    }

    RecordingSink(String name, Duration delay) {
      this(name, delay, null);
    }

    RecordingSink(String name, CountDownLatch gate) {
      this(name, Duration.ZERO, gate);
    }

    private RecordingSink(String name, Duration delay, CountDownLatch gate) {
      this.name = name;
      this.delay = delay;
      this.gate = gate;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<EventKind> kinds() {
      return EnumSet.allOf(EventKind.class);
    }

    @Override
    public void write(List<? extends Event> batch) throws Exception {
      if (gate != null) {
        gate.await();
      }
      if (delay.isPositive()) {
        Thread.sleep(delay);
      }
      synchronized (batches) {
        batches.add(List.copyOf(batch));
      }
    }

    List<Integer> batchSizes() {
      synchronized (batches) {
        return batches.stream().map(List::size).toList();
      }
    }

    List<Integer> ports() {
      synchronized (batches) {
        return batches.stream()
            .flatMap(List::stream)
            .map(e -> ((ConnectionEvent) e).destinationPort())
            .toList();
      }
    }

    List<String> trails() {
      synchronized (batches) {
        return batches.stream().flatMap(List::stream).map(e -> e.attribute(TRAIL)).toList();
      }
    }

    @Override
    public void close() {}
  }

  /** Fails its first {@code failures} writes. */
  private static final class FailingSink implements Sink, Named {
    private final String name;
    private final int failures;
    final AtomicInteger attempts = new AtomicInteger();

    FailingSink(String name, int failures) {
      this.name = name;
      this.failures = failures;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<EventKind> kinds() {
      return EnumSet.allOf(EventKind.class);
    }

    @Override
    public void write(List<? extends Event> batch) throws Exception {
      if (attempts.incrementAndGet() <= failures) {
        throw new java.io.IOException("disk full");
      }
    }

    @Override
    public void close() {}
  }
}

package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.Sink;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sources → bounded hand-off → enrichers, in order → every sink, each through its own bounded queue
 * and thread. A sink gets only the kinds of event it declared; the others are counted per sink
 * ({@code unsupported_kind}).
 *
 * <p>{@link #drain()} is the orderly end: after the sources stopped, it refuses further events and
 * waits until every accepted event reached every sink (written, or counted as failed), at most
 * {@code lanthorn.shutdown.drain-timeout}; whatever is still undelivered then is counted as dropped
 * ({@code shutdown_timeout}).
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  private static final long INTERRUPT_GRACE_MILLIS = 1_000;

  private final PipelineSettings settings;
  private final MetricsRegistry registry;
  private final EventBuffer handOff;
  private final PipelineCounters counters;
  private final PipelineEmitter emitter;
  private final List<Thread> sinkThreads = new ArrayList<>();
  private volatile List<SinkWorker> workers = List.of();
  private Thread enricherThread;
  private volatile boolean started;
  private List<Running<Enricher>> knownEnrichers = List.of();
  private List<Running<Sink>> knownSinks = List.of();

  /**
   * A pipeline whose hand-off takes events at once; the enrichers and sinks join at {@link #start}.
   *
   * @param settings sizes, batching, overflow and retry policy
   * @param sinkNames the names of the sinks that will join, for the counters
   * @param registry where the pipeline's counters and gauges go
   */
  public Pipeline(PipelineSettings settings, List<String> sinkNames, MetricsRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.handOff = new EventBuffer(settings.queueCapacity(), settings.maxBatchSize());
    this.counters = new PipelineCounters(registry, sinkNames);
    this.emitter = new PipelineEmitter(handOff, counters, settings.overflow());
    registry.gauge("lanthorn.queued", handOff::size);
  }

  /**
   * A pipeline whose enrichers and sinks exist already; {@link #start()} starts it with them.
   *
   * @param enrichers the enrichers, already in the order they run
   * @param sinks the sinks
   */
  public Pipeline(
      PipelineSettings settings,
      List<Running<Enricher>> enrichers,
      List<Running<Sink>> sinks,
      MetricsRegistry registry) {
    this(settings, sinks.stream().map(Running::name).toList(), registry);
    this.knownEnrichers = List.copyOf(enrichers);
    this.knownSinks = List.copyOf(sinks);
  }

  /** Starts with the enrichers and sinks given at construction. */
  public void start() {
    start(knownEnrichers, knownSinks);
  }

  /** Where sources emit; thread-safe, usable before {@link #start}. */
  public EventEmitter emitter() {
    return emitter;
  }

  /**
   * Starts the pipeline and sink threads: events emitted before wait in the hand-off. Call it once
   * every enricher and sink was created.
   *
   * @param enrichers the enrichers, already in the order they run
   * @param sinks the sinks, named as at construction
   */
  public void start(List<Running<Enricher>> enrichers, List<Running<Sink>> sinks) {
    List<SinkWorker> created =
        sinks.stream().map(s -> new SinkWorker(s, settings, counters)).toList();
    for (SinkWorker worker : created) {
      registry.gauge("lanthorn.sink." + worker.name() + ".queued", worker::queued);
      sinkThreads.add(
          Thread.ofPlatform().daemon().name("lanthorn-sink-" + worker.name()).unstarted(worker));
    }
    workers = created;
    enricherThread =
        Thread.ofPlatform()
            .daemon()
            .name("lanthorn-pipeline")
            .unstarted(
                new EnricherStage(
                    handOff,
                    enrichers,
                    created,
                    settings.maxBatchSize(),
                    counters.enriched(),
                    registry));
    started = true;
    sinkThreads.forEach(Thread::start);
    enricherThread.start();
  }

  /** Whether {@link #start} was called. */
  public boolean isStarted() {
    return started;
  }

  /**
   * For a pipeline that will never start (a sink or enricher failed to start): refuses further
   * events (counted as dropped, {@code after_stop}), so no source waits for room any more, and
   * counts what the hand-off holds as dropped ({@code start_failed}).
   *
   * @return how many events the hand-off held
   * @throws IllegalStateException when the pipeline was started
   */
  public long discard() {
    if (started) {
      throw new IllegalStateException("the pipeline was started: drain it");
    }
    handOff.close();
    List<Event> left = new ArrayList<>();
    // A closed buffer never makes take() wait; an interrupt pending here must not cut the count.
    boolean interrupted = Thread.interrupted();
    try {
      while (handOff.take(left, Integer.MAX_VALUE, 0) > 0) {
        // collects what was emitted while the services started
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    counters.dropped("start_failed", left.size());
    return left.size();
  }

  /**
   * Refuses further events and waits until every accepted event reached every sink, or the drain
   * timeout passed.
   *
   * @return whether everything was delivered in time
   */
  public boolean drain() throws InterruptedException {
    return drainAfter(() -> {});
  }

  /**
   * Runs {@code stopSources}, which may still emit (what the sources had in flight), then drains as
   * {@link #drain()} does, all within {@code drain-timeout} from now. A source's last events go
   * into a hand-off that may be full, and the shutdown hook holds the JVM only about that long: if
   * the sinks cannot make room in time, the hand-off is closed at the deadline so that the source
   * returns, its remaining events counted as dropped ({@code after_stop}), and what is undelivered
   * is counted too ({@code shutdown_timeout}), rather than lost unsaid when the JVM exits.
   *
   * @return whether everything was delivered in time
   */
  public boolean drainAfter(Runnable stopSources) throws InterruptedException {
    if (!started) {
      stopSources.run();
      return discard() == 0;
    }
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    Thread cutOff =
        Thread.ofPlatform()
            .daemon()
            .name("lanthorn-drain-deadline")
            .start(
                () -> {
                  try {
                    Thread.sleep(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    handOff.close();
                  } catch (InterruptedException e) {
                    // the sources stopped in time
                  }
                });
    try {
      stopSources.run();
    } finally {
      cutOff.interrupt();
    }
    handOff.close();
    joinUntil(enricherThread, deadline);
    for (Thread thread : sinkThreads) {
      joinUntil(thread, deadline);
    }
    boolean complete = !enricherThread.isAlive() && sinkThreads.stream().noneMatch(Thread::isAlive);
    if (!complete) {
      log.error(
          "shutdown: sinks did not catch up within {} (lanthorn.shutdown.drain-timeout);"
              + " counting what is left as dropped",
          format(settings.drainTimeout()));
      forceStop();
    }
    return complete;
  }

  private void forceStop() throws InterruptedException {
    if (enricherThread.isAlive()) {
      enricherThread.interrupt();
      enricherThread.join(INTERRUPT_GRACE_MILLIS);
      workers.forEach(SinkWorker::endOfInput);
    }
    List<Event> left = new ArrayList<>();
    while (handOff.take(left, Integer.MAX_VALUE, 0) > 0) {
      // collects what never reached the enrichers
    }
    counters.dropped("shutdown_timeout", left.size());
    for (int i = 0; i < workers.size(); i++) {
      Thread thread = sinkThreads.get(i);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(INTERRUPT_GRACE_MILLIS);
      }
      workers.get(i).abandon();
    }
  }

  private static void joinUntil(Thread thread, long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      thread.join(Duration.ofNanos(left));
    }
  }

  /** The running totals. */
  public PipelineStats stats() {
    return counters.stats();
  }

  /**
   * The status line: {@code received=… enriched=… queued=… lost_at_source=… dropped=… | <sink>
   * written=… failed=… queued=…}, with reasons in parentheses when a loss count is not zero.
   */
  public String statusLine() {
    PipelineStats stats = stats();
    StringBuilder line =
        new StringBuilder()
            .append("received=")
            .append(stats.received())
            .append(" enriched=")
            .append(counters.enriched().get())
            .append(" queued=")
            .append(handOff.size())
            .append(" lost_at_source=")
            .append(withReasons(stats.totalLostAtSource(), stats.lostAtSource()))
            .append(" dropped=")
            .append(withReasons(stats.totalDropped(), stats.dropped()));
    for (SinkWorker worker : workers) {
      line.append(" | ")
          .append(worker.name())
          .append(" written=")
          .append(stats.writtenBySink().get(worker.name()))
          .append(" failed=")
          .append(stats.failedBySink().get(worker.name()))
          .append(" queued=")
          .append(worker.queued());
      long unsupported = worker.unsupported();
      if (unsupported > 0) {
        line.append(" unsupported_kind=").append(unsupported);
      }
    }
    return line.toString();
  }

  private static String withReasons(long total, Map<String, Long> byReason) {
    if (total == 0) {
      return "0";
    }
    StringJoiner reasons = new StringJoiner(" ", total + " (", ")");
    byReason.forEach((reason, count) -> reasons.add(reason + "=" + count));
    return reasons.toString();
  }

  private static String format(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? TimeUnit.MILLISECONDS.toSeconds(duration.toMillis()) + "s"
        : duration.toMillis() + "ms";
  }
}

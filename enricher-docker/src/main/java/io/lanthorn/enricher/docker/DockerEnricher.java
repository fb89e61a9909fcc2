package io.lanthorn.enricher.docker;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.enricher.docker.Attribution.Result;
import io.lanthorn.enricher.docker.Attribution.Verdict;
import io.lanthorn.enricher.docker.CgroupNames.ContainerCgroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * Names the Docker container behind each event, of every kind: the {@code enricher-docker} plugin's
 * instance, created running by {@link DockerEnricherFactory}.
 *
 * <p>Attribution starts from the cgroup the kernel captured with the event, so a container that is
 * gone by the time the event arrives is still named, from the metadata cache the Docker events
 * stream keeps. Sets {@link io.lanthorn.api.StandardAttributes#CONTAINER_ID}, {@code
 * CONTAINER_NAME}, {@code CONTAINER_RUNTIME}, {@code CONTAINER_IMAGE_NAME}, {@code
 * CONTAINER_IMAGE_ID}, {@code CONTAINER_LABELS}, {@code COMPOSE_PROJECT}, {@code COMPOSE_SERVICE}
 * and always {@code ATTRIBUTION_STATUS} when the event carries a cgroup.
 *
 * <p>Docker being absent, restarting or hung never stops or slows capture beyond {@code
 * max-wait-per-batch} per batch: all calls to it run on other threads, bounded in time, and events
 * it cannot name pass with the reason.
 */
public final class DockerEnricher implements Enricher {
  /** The plugin's name and configuration section. */
  public static final String NAME = "enricher-docker";

  private static final Path PROC = Path.of("/proc");
  private static final int CALL_THREADS = 2;

  private final DockerEnricherConfig config;
  private final ContainerCache cache;
  private final Attribution attribution;
  private final ContainerInspector inspector;
  private final DockerCalls calls;
  private final DockerWatcher watcher;
  private final ScheduledExecutorService sweeper;
  private final Map<Verdict, Counter> verdicts;
  private final Counter batchWaits;
  private final Counter batchWaitTimeouts;

  private DockerEnricher(Parts parts) {
    this.config = parts.config;
    this.cache = parts.cache;
    this.attribution = parts.attribution;
    this.inspector = parts.inspector;
    this.calls = parts.calls;
    this.watcher = parts.watcher;
    this.sweeper = parts.sweeper;
    this.verdicts = parts.verdicts;
    this.batchWaits = parts.batchWaits;
    this.batchWaitTimeouts = parts.batchWaitTimeouts;
  }

  /** What {@link #start} builds, in the order it builds them. */
  private static final class Parts {
    DockerEnricherConfig config;
    ContainerCache cache;
    Attribution attribution;
    ContainerInspector inspector;
    DockerCalls calls;
    DockerWatcher watcher;
    ScheduledExecutorService sweeper;
    final Map<Verdict, Counter> verdicts = new EnumMap<>(Verdict.class);
    Counter batchWaits;
    Counter batchWaitTimeouts;
  }

  /**
   * Builds the cache and the watcher, and starts following Docker (without waiting for it: an
   * absent daemon is reported and retried in the background).
   */
  static DockerEnricher start(DockerEnricherConfig config, PluginContext context)
      throws PluginException, InterruptedException {
    Logger logger = context.logger();
    var metrics = context.metrics();
    Parts parts = new Parts();
    parts.config = config;

    CgroupMounts mounts = readMounts(logger);
    if (mounts.layout() == CgroupMounts.Layout.V1_ONLY) {
      logger.warn(
          "this host mounts only cgroup v1: containers are named only for processes still alive"
              + " when their events are enriched (see the enricher-docker README)");
    }
    ContainerCgroups cgroups = new ContainerCgroups(mounts, PROC);
    ContainerCache cache =
        new ContainerCache(
            context.clock(), config.tombstoneTtl(), config.unknownTtl(), config.cacheSize());
    parts.cache = cache;
    parts.calls = new DockerCalls(CALL_THREADS, NAME);
    // The inspector is built before the watcher it gets its client from.
    AtomicReference<DockerWatcher> watcherRef = new AtomicReference<>();
    parts.inspector =
        new ContainerInspector(
            parts.calls,
            config.inspectTimeout(),
            cache,
            cgroups,
            () -> {
              DockerWatcher current = watcherRef.get();
              return current == null ? null : current.client();
            },
            logger,
            metrics.counter("lookups", "inspections of containers the cache did not know"),
            metrics.counter("lookup.timeouts", "inspections that overran inspect-timeout"));
    ContainerEvents events =
        new ContainerEvents(
            cache,
            parts.inspector,
            logger,
            metrics.counter("docker.events", "Docker events applied"));
    DockerWatcher watcher =
        new DockerWatcher(
            config,
            cache,
            events,
            parts.inspector,
            parts.calls,
            logger,
            metrics.counter("reconnects", "attempts to reach Docker again after losing it"));
    watcherRef.set(watcher);
    parts.watcher = watcher;
    parts.attribution = new Attribution(cache, cgroups, watcher::available);

    for (Verdict verdict : Verdict.values()) {
      if (verdict.status() != null) {
        parts.verdicts.put(
            verdict,
            metrics.counter(
                "events." + verdict.status(),
                "events with attribution status " + verdict.status()));
      }
    }
    parts.batchWaits =
        metrics.counter("batch.waits", "batches that waited for containers they did not know");
    parts.batchWaitTimeouts =
        metrics.counter(
            "batch.wait_timeouts", "batch waits that ended at max-wait-per-batch unresolved");
    metrics.gauge("cache.containers", "containers held, exited ones included", cache::size);
    metrics.gauge(
        "cache.evictions", "containers evicted because the cache was full", cache::evictions);
    metrics.gauge(
        "docker.available", "1 while Docker answers, else 0", () -> watcher.available() ? 1 : 0);

    parts.sweeper =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, NAME + "-sweeper");
              thread.setDaemon(true);
              thread.setContextClassLoader(DockerEnricher.class.getClassLoader());
              return thread;
            });
    long sweepMillis = sweepInterval(config).toMillis();
    var _ =
        parts.sweeper.scheduleWithFixedDelay(
            cache::expire, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

    DockerEnricher enricher = new DockerEnricher(parts);
    try {
      watcher.start(config.callTimeout());
    } catch (RuntimeException | InterruptedException e) {
      enricher.close();
      throw e;
    }
    return enricher;
  }

  /**
   * Every kind a task caused: attribution needs only the header's cgroup and pid. Not a threat
   * feed's version, which the agent itself reports.
   */
  @Override
  public Set<EventKind> kinds() {
    return EnumSet.complementOf(EnumSet.of(EventKind.THREAT_FEED));
  }

  @Override
  public Event enrich(Event event) {
    Result result = attribution.resolve(event);
    if (result.worthAsking()) {
      // No wait for a single event; the answer serves the container's next events.
      var _ = inspector.lookup(result.containerId());
    }
    return applyCounted(event, result);
  }

  /**
   * Enriches a batch with at most one wait, of at most {@code max-wait-per-batch}, for all the
   * containers it names by cgroup but the cache does not know yet: typically a container so new
   * that its {@code create} event is still on its way, or one Docker has to be asked about.
   */
  @Override
  public void enrichAll(List<Event> batch) {
    Result[] results = new Result[batch.size()];
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      results[i] = attribution.resolve(batch.get(i));
      if (results[i].worthAsking()) {
        ContainerInspector.Lookup lookup = inspector.lookup(results[i].containerId());
        // Only the batch that started a lookup waits for it: a slow daemon costs one wait per
        // container, not one per batch.
        if (lookup.started() && !lookup.done().isDone()) {
          waits.add(lookup.done());
        }
      }
    }
    if (!waits.isEmpty() && config.maxWaitPerBatch().isPositive()) {
      waitBounded(waits);
      for (int i = 0; i < results.length; i++) {
        if (results[i].worthAsking()) {
          results[i] =
              attribution.resolveContainer(
                  new ContainerCgroup(results[i].containerId(), CgroupNames.Scheme.UNSPECIFIED));
        }
      }
    }
    for (int i = 0; i < results.length; i++) {
      batch.set(i, applyCounted(batch.get(i), results[i]));
    }
  }

  private void waitBounded(List<CompletableFuture<Void>> waits) {
    batchWaits.increment();
    try {
      CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
          .get(config.maxWaitPerBatch().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      batchWaitTimeouts.increment();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Lookups complete normally; nothing to report.
    }
  }

  private Event applyCounted(Event event, Result result) {
    Counter counter = verdicts.get(result.verdict());
    if (counter != null) {
      counter.increment();
    }
    return Attribution.apply(event, result);
  }

  /** Whether Docker answers right now; for status output and tests. */
  boolean available() {
    return watcher.available();
  }

  /** The metadata cache; for tests. */
  ContainerCache cache() {
    return cache;
  }

  /** The API version negotiated with the daemon, or {@code null}; for status output and tests. */
  ApiVersion apiVersion() {
    return watcher.apiVersion();
  }

  @Override
  public void close() throws InterruptedException {
    watcher.close();
    sweeper.shutdownNow();
    calls.close();
  }

  private static CgroupMounts readMounts(Logger logger) {
    try {
      return CgroupMounts.read(CgroupMounts.MOUNTINFO);
    } catch (IOException e) {
      logger.warn(
          "cannot read {} ({}): attributing by cgroup name only",
          CgroupMounts.MOUNTINFO,
          e.toString());
      return new CgroupMounts(null, "/", List.of());
    }
  }

  // Often enough that a tombstone outlives its time by a small fraction of it.
  private static Duration sweepInterval(DockerEnricherConfig config) {
    Duration shortest =
        config.tombstoneTtl().compareTo(config.unknownTtl()) < 0
            ? config.tombstoneTtl()
            : config.unknownTtl();
    Duration quarter = shortest.dividedBy(4);
    Duration floor = Duration.ofMillis(100);
    Duration ceiling = Duration.ofMinutes(1);
    return quarter.compareTo(floor) < 0
        ? floor
        : quarter.compareTo(ceiling) > 0 ? ceiling : quarter;
  }
}

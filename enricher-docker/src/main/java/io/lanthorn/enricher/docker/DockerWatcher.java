package io.lanthorn.enricher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Version;
import io.lanthorn.api.Counter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * Keeps a connection to the Docker daemon, in a thread of its own, for as long as the enricher
 * runs: connect (negotiating the API version), reconcile the cache with a listing of the running
 * containers, follow the events stream, ping now and then; when anything fails, mark Docker
 * unavailable and start over after a backoff.
 *
 * <p>Nothing here runs on the pipeline thread: the enricher only reads {@link #available()} and
 * {@link #client()}. So an absent daemon, a restarting one or a hung one costs attribution, never
 * capture.
 */
final class DockerWatcher implements AutoCloseable {
  /** Replayed events are idempotent; reaching a little back hides clock granularity. */
  private static final long FIRST_SINCE_MARGIN_NANOS = 1_000_000_000L;

  private static final Duration FIRST_CALL_TIMEOUT = Duration.ofSeconds(5);

  private final DockerEnricherConfig config;
  private final ContainerCache cache;
  private final ContainerEvents events;
  private final ContainerInspector inspector;
  private final DockerCalls calls;
  private final Logger logger;
  private final Counter reconnects;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private final Thread thread;
  private volatile DockerConnection connection;
  private volatile boolean everConnected;
  private volatile boolean failureLogged;

  DockerWatcher(
      DockerEnricherConfig config,
      ContainerCache cache,
      ContainerEvents events,
      ContainerInspector inspector,
      DockerCalls calls,
      Logger logger,
      Counter reconnects) {
    this.config = config;
    this.cache = cache;
    this.events = events;
    this.inspector = inspector;
    this.calls = calls;
    this.logger = logger;
    this.reconnects = reconnects;
    this.thread = new Thread(this::run, "enricher-docker-watcher");
    thread.setDaemon(true);
    thread.setContextClassLoader(DockerWatcher.class.getClassLoader());
  }

  /**
   * Starts watching, and waits (at most {@code wait}) for the first attempt to reach Docker to end,
   * so that the first events are already attributed. An absent daemon fails that attempt at once.
   */
  void start(Duration wait) throws InterruptedException {
    thread.start();
    if (!firstAttempt.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      logger.info(
          "still connecting to Docker after {} ms; events are attributed once it answers",
          wait.toMillis());
    }
  }

  /** Whether Docker answers and the cache follows its events. */
  boolean available() {
    return connection != null;
  }

  /** The current client, or {@code null} while Docker is unavailable. */
  DockerClient client() {
    DockerConnection current = connection;
    return current == null ? null : current.client();
  }

  /** The API version the client speaks, or {@code null} (unavailable, or no prefix). */
  ApiVersion apiVersion() {
    DockerConnection current = connection;
    return current == null ? null : current.apiVersion();
  }

  private void run() {
    Backoff backoff = new Backoff(config.reconnectBackoffMin(), config.reconnectBackoffMax());
    String since = null;
    while (closed.getCount() > 0) {
      try (DockerConnection docker = connect()) {
        if (since == null) {
          since = ContainerEvents.formatSince(nowNanos() - FIRST_SINCE_MARGIN_NANOS);
        }
        // List first, then replay from `since`: events newer than the listing are applied after
        // it, so the cache ends up as Docker is, not as it was when listed.
        String listedAt = ContainerEvents.formatSince(nowNanos() - FIRST_SINCE_MARGIN_NANOS);
        reconcile(docker.client());
        try (var subscription = DockerEventsFollower.subscribe(docker.client(), since, events)) {
          connection = docker;
          onConnected(docker);
          firstAttempt.countDown();
          Throwable end = watch(docker.client(), subscription, backoff);
          if (closed.getCount() > 0) {
            logger.info(
                "Docker events stream ended ({}); containers are attributed from memory until"
                    + " Docker is back",
                end == null ? "closed by the daemon" : end.toString());
          }
        } finally {
          connection = null;
          since = events.since() != null ? events.since() : listedAt;
        }
      } catch (InterruptedException e) {
        break;
      } catch (Exception e) {
        onFailure(e);
      }
      firstAttempt.countDown();
      try {
        if (closed.await(backoff.next().toNanos(), TimeUnit.NANOSECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        break;
      }
      reconnects.increment();
    }
  }

  /** Opens an unversioned client, asks the daemon's versions, and returns a pinned client. */
  private DockerConnection connect() throws Exception {
    Version version;
    // The very first call also loads and links docker-java, Jackson and the HTTP client, which
    // takes over a second on a busy two-core machine: don't mistake that for a hung daemon.
    Duration timeout =
        everConnected || config.callTimeout().compareTo(FIRST_CALL_TIMEOUT) > 0
            ? config.callTimeout()
            : FIRST_CALL_TIMEOUT;
    try (DockerConnection probe = DockerConnection.open(config.socket(), null)) {
      version = calls.call("GET /version", timeout, () -> probe.client().versionCmd().exec());
    }
    ApiVersion chosen =
        ApiVersionNegotiation.choose(
            version.getApiVersion(), version.getMinAPIVersion(), ApiVersionNegotiation.CLIENT_MAX);
    if (chosen == null) {
      logger.warn(
          "Docker reported API version '{}', which Lanthorn cannot read; speaking to it without a"
              + " version",
          version.getApiVersion());
    }
    return DockerConnection.open(config.socket(), chosen);
  }

  private void reconcile(DockerClient client) throws Exception {
    List<Container> running =
        calls.call(
            "GET /containers/json",
            config.callTimeout(),
            () -> client.listContainersCmd().withShowAll(false).exec());
    cache.reconcile(running.stream().map(DockerModels::fromListing).toList());
    for (Container container : running) {
      if (!inspector.indexCgroup(container.getId())) {
        // Not at a Docker default location (custom cgroup parent): find it through the pid.
        inspector.refresh(container.getId());
      }
    }
  }

  /**
   * Waits until the stream ends, pinging the daemon every health interval: a daemon that stops
   * answering (hung) keeps the stream open but silent, which only a ping notices. The backoff
   * starts over only once the connection has proved healthy, so that a daemon that accepts the
   * stream and drops it at once is not hammered.
   *
   * @return what ended the stream, {@code null} for a clean end
   */
  private Throwable watch(
      DockerClient client, DockerEventsFollower.Subscription subscription, Backoff backoff)
      throws InterruptedException {
    while (closed.getCount() > 0) {
      try {
        return subscription.ended().get(config.healthInterval().toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException quiet) {
        try {
          calls.call("GET /_ping", config.callTimeout(), () -> client.pingCmd().exec());
          backoff.reset();
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          return e;
        }
      } catch (java.util.concurrent.ExecutionException impossible) {
        return impossible.getCause();
      }
    }
    return null;
  }

  private void onConnected(DockerConnection docker) {
    failureLogged = false;
    logger.info(
        "{} Docker at {} (API {}); {} containers known",
        everConnected ? "reconnected to" : "attributing containers through",
        config.socket(),
        docker.apiVersion() == null ? "unversioned" : docker.apiVersion(),
        cache.size());
    everConnected = true;
  }

  private void onFailure(Exception e) {
    String reason = e.getCause() != null ? e.getCause().toString() : e.toString();
    if (!failureLogged) {
      failureLogged = true;
      logger.info(
          "Docker is not reachable at {} ({}); capture continues without container names and"
              + " Lanthorn keeps trying",
          config.socket(),
          reason);
    } else {
      logger.debug("Docker still not reachable at {}: {}", config.socket(), reason);
    }
  }

  // The daemon's clock is the host's wall clock, whatever clock the agent measures time with.
  private static long nowNanos() {
    var now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void close() throws InterruptedException {
    closed.countDown();
    thread.interrupt();
    thread.join(Duration.ofSeconds(5));
  }

  /** Exponential backoff between reconnection attempts. */
  static final class Backoff {
    private final Duration min;
    private final Duration max;
    private Duration next;

    Backoff(Duration min, Duration max) {
      this.min = min;
      this.max = max.compareTo(min) < 0 ? min : max;
      this.next = min;
    }

    /** The delay before the next attempt; doubles each time up to the maximum. */
    Duration next() {
      Duration current = next;
      Duration doubled = next.multipliedBy(2);
      next = doubled.compareTo(max) > 0 ? max : doubled;
      return current;
    }

    /** Starts again from the minimum, after a success. */
    void reset() {
      next = min;
    }
  }
}

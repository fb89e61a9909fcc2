package io.lanthorn.enricher.docker;

import com.github.dockerjava.api.model.Event;
import io.lanthorn.api.Counter;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Applies Docker's container events to the cache, and remembers the time of the last one so that a
 * resubscription can ask the daemon to replay what came after it.
 *
 * <p>Every event carries the container's name and image; {@code create} and {@code start} carry its
 * labels too. So the cache knows a container from its {@code create} event on, before any of its
 * processes can open a connection, and keeps knowing it after {@code destroy}, as a tombstone.
 */
final class ContainerEvents implements Consumer<Event> {
  private final ContainerCache cache;
  private final ContainerInspector inspector;
  private final Logger logger;
  private final Counter applied;
  private volatile long lastEventNanos;

  ContainerEvents(
      ContainerCache cache, ContainerInspector inspector, Logger logger, Counter applied) {
    this.cache = cache;
    this.inspector = inspector;
    this.logger = logger;
    this.applied = applied;
  }

  @Override
  public void accept(Event event) {
    try {
      apply(event);
      if (event.getTimeNano() != null) {
        lastEventNanos = Math.max(lastEventNanos, event.getTimeNano());
      }
      applied.increment();
    } catch (RuntimeException e) {
      // Runs on docker-java's stream thread: an exception here would end the stream.
      logger.warn("ignoring a Docker event Lanthorn could not apply ({}): {}", event, e.toString());
    }
  }

  private void apply(Event event) {
    ContainerMetadata metadata = DockerModels.fromEvent(event);
    if (!CgroupNames.isContainerId(metadata.id()) || event.getAction() == null) {
      return;
    }
    String id = metadata.id();
    switch (event.getAction()) {
      case "create", "rename" -> cache.learn(metadata);
      case "start" -> {
        cache.learn(metadata);
        cache.started(id);
        // Cheap (a stat) and done now, while the cgroup directory most likely exists.
        inspector.indexCgroup(id);
        // The image id, and the exact cgroup through the container's pid.
        inspector.refresh(id);
      }
      case "die", "destroy" -> {
        // Learned here too, in case the create event fell into a gap between two subscriptions.
        cache.learn(metadata);
        cache.gone(id);
      }
      default -> {}
    }
  }

  /**
   * The {@code since} value that replays events after the last one applied, {@code null} when none
   * was: seconds and nanoseconds since the epoch, as Docker's API accepts them.
   */
  String since() {
    long nanos = lastEventNanos;
    return nanos == 0 ? null : formatSince(nanos);
  }

  /** Formats epoch nanoseconds as Docker's {@code since}/{@code until} parameters want them. */
  static String formatSince(long epochNanos) {
    return String.format(
        java.util.Locale.ROOT, "%d.%09d", epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
  }
}

package io.lanthorn.enricher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Follows Docker's container events ({@code GET /events}) and hands each to a consumer.
 *
 * <p>The stream ends when the daemon stops or restarts; {@link Subscription#ended()} says so, and
 * the caller resubscribes with {@code since} set to the last event's time so that events of the gap
 * are replayed from the daemon's buffer.
 */
final class DockerEventsFollower {
  /** The actions that change what the cache must know. */
  static final String[] ACTIONS = {"create", "start", "rename", "die", "destroy"};

  private DockerEventsFollower() {}

  /**
   * Subscribes to container events.
   *
   * @param since a Unix time in seconds, with an optional fraction, from which the daemon replays
   *     events it still has; {@code null} for new events only
   * @param consumer receives each event on docker-java's stream thread; must not throw
   */
  static Subscription subscribe(DockerClient client, String since, Consumer<Event> consumer) {
    Subscription subscription = new Subscription(consumer);
    var command =
        client.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter(ACTIONS);
    if (since != null) {
      command.withSince(since);
    }
    command.exec(subscription);
    return subscription;
  }

  /**
   * One subscription. Written against {@link ResultCallback} directly, not docker-java's template,
   * which logs every ended stream as an error and cannot be closed before the daemon answered.
   */
  static final class Subscription implements ResultCallback<Event> {
    private final Consumer<Event> consumer;
    private final AtomicReference<Closeable> stream = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    private Subscription(Consumer<Event> consumer) {
      this.consumer = consumer;
    }

    /**
     * Completes when the stream stops, with the error that stopped it or {@code null} for a clean
     * end (or {@link #close()}).
     */
    CompletableFuture<Throwable> ended() {
      return ended;
    }

    @Override
    public void onStart(Closeable closeable) {
      stream.set(closeable);
      // Closed while the daemon was still answering the request: close the late stream too.
      if (closed.get()) {
        closeQuietly(closeable);
      }
    }

    @Override
    public void onNext(Event event) {
      if (!closed.get()) {
        consumer.accept(event);
      }
    }

    @Override
    public void onError(Throwable error) {
      ended.complete(error);
      closeQuietly(stream.get());
    }

    @Override
    public void onComplete() {
      ended.complete(null);
      closeQuietly(stream.get());
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        closeQuietly(stream.get());
        ended.complete(null);
      }
    }

    private static void closeQuietly(Closeable closeable) {
      if (closeable == null) {
        return;
      }
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        // The stream is being abandoned either way.
      }
    }
  }
}

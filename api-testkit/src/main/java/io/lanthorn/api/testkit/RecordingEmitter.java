package io.lanthorn.api.testkit;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/** An {@link EventEmitter} that keeps every event and loss report, for assertions. Thread-safe. */
public final class RecordingEmitter implements EventEmitter {
  private final List<Event> events = new ArrayList<>();
  private final Map<String, LongAdder> lost = new ConcurrentHashMap<>();

  @Override
  public void emit(Event event) {
    synchronized (events) {
      events.add(event);
    }
  }

  @Override
  public void reportLost(String reason, long count) {
    lost.computeIfAbsent(reason, r -> new LongAdder()).add(count);
  }

  /** A copy of the events emitted so far, of every kind, in order. */
  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The connection events emitted so far, in order. */
  public List<ConnectionEvent> connections() {
    return connections(e -> true);
  }

  /** The connection events emitted so far that match, in order. */
  public List<ConnectionEvent> connections(Predicate<ConnectionEvent> filter) {
    synchronized (events) {
      return events.stream()
          .filter(ConnectionEvent.class::isInstance)
          .map(ConnectionEvent.class::cast)
          .filter(filter)
          .toList();
    }
  }

  /** How many of the connection events emitted so far match, without copying them. */
  public long count(Predicate<ConnectionEvent> filter) {
    synchronized (events) {
      return events.stream().filter(e -> e instanceof ConnectionEvent c && filter.test(c)).count();
    }
  }

  /** Losses reported so far, by reason. */
  public Map<String, Long> lost() {
    Map<String, Long> totals = new TreeMap<>();
    lost.forEach((reason, count) -> totals.put(reason, count.sum()));
    return totals;
  }

  /** All losses reported so far. */
  public long totalLost() {
    return lost.values().stream().mapToLong(LongAdder::sum).sum();
  }
}

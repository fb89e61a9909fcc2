package io.lanthorn.api.testkit;

import io.lanthorn.api.ConnectionEvent;
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
  private final List<ConnectionEvent> events = new ArrayList<>();
  private final Map<String, LongAdder> lost = new ConcurrentHashMap<>();

  @Override
  public void emit(ConnectionEvent event) {
    synchronized (events) {
      events.add(event);
    }
  }

  @Override
  public void reportLost(String reason, long count) {
    lost.computeIfAbsent(reason, r -> new LongAdder()).add(count);
  }

  /** A copy of the events emitted so far, in order. */
  public List<ConnectionEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The events emitted so far that match, in order. */
  public List<ConnectionEvent> events(Predicate<ConnectionEvent> filter) {
    return events().stream().filter(filter).toList();
  }

  /** How many of the events emitted so far match, without copying them. */
  public long count(Predicate<ConnectionEvent> filter) {
    synchronized (events) {
      return events.stream().filter(filter).count();
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

package io.lanthorn.probe.tcp;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.EventEmitter;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/** Keeps every event and every loss report. */
final class CollectingEmitter implements EventEmitter {
  private final Queue<ConnectionEvent> events = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> lost = new ConcurrentHashMap<>();

  @Override
  public void emit(ConnectionEvent event) {
    events.add(event);
  }

  @Override
  public void reportLost(String reason, long count) {
    lost.computeIfAbsent(reason, r -> new LongAdder()).add(count);
  }

  List<ConnectionEvent> matching(Predicate<ConnectionEvent> filter) {
    return events.stream().filter(filter).toList();
  }

  long count(Predicate<ConnectionEvent> filter) {
    return events.stream().filter(filter).count();
  }

  long total() {
    return events.size();
  }

  long lost() {
    return lost.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> lostByReason() {
    Map<String, Long> copy = new TreeMap<>();
    lost.forEach((reason, adder) -> copy.put(reason, adder.sum()));
    return copy;
  }
}

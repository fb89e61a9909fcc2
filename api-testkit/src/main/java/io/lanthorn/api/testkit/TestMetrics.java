package io.lanthorn.api.testkit;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Metrics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Metrics that a test can read back; names are as the plugin registered them, unprefixed. */
public final class TestMetrics implements Metrics {
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  @Override
  public Counter counter(String name, String description) {
    LongAdder adder = counters.computeIfAbsent(name, n -> new LongAdder());
    return new Counter() {
      @Override
      public void add(long amount) {
        adder.add(amount);
      }

      @Override
      public long get() {
        return adder.sum();
      }
    };
  }

  @Override
  public void gauge(String name, String description, LongSupplier value) {
    gauges.put(name, value);
  }

  @Override
  public Map<String, Long> snapshot() {
    Map<String, Long> all = new TreeMap<>();
    counters.forEach((name, adder) -> all.put(name, adder.sum()));
    gauges.forEach((name, gauge) -> all.put(name, gauge.getAsLong()));
    return all;
  }

  /**
   * The current value of a counter or gauge.
   *
   * @throws AssertionError naming the registered metrics when there is none by that name
   */
  public long value(String name) {
    Long value = snapshot().get(name);
    if (value == null) {
      throw new AssertionError("no metric " + name + " among " + snapshot().keySet());
    }
    return value;
  }
}

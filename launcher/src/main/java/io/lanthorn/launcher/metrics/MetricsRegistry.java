package io.lanthorn.launcher.metrics;

import io.lanthorn.api.Counter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Every counter and gauge of the agent and its plugins, by full name. Counters are {@link
 * LongAdder}s: contention-free on the event path, summed only when read.
 */
public final class MetricsRegistry {
  /** Dot-separated segments of lower-case letters, digits, underscores and dashes. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

  private final Map<String, AdderCounter> counters = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  /**
   * The counter with this full name, created on first use.
   *
   * @throws IllegalArgumentException for a malformed name
   */
  public Counter counter(String name) {
    return counters.computeIfAbsent(checkName(name), n -> new AdderCounter());
  }

  /**
   * Registers a gauge.
   *
   * @throws IllegalArgumentException for a malformed name or one already registered
   */
  public void gauge(String name, LongSupplier value) {
    if (gauges.putIfAbsent(checkName(name), value) != null) {
      throw new IllegalArgumentException("gauge " + name + " is already registered");
    }
  }

  /** Every metric read now, sorted by name. A gauge that throws reads as -1. */
  public Map<String, Long> snapshot() {
    Map<String, Long> values = new TreeMap<>();
    counters.forEach((name, counter) -> values.put(name, counter.get()));
    gauges.forEach((name, gauge) -> values.put(name, read(gauge)));
    return values;
  }

  private static long read(LongSupplier gauge) {
    try {
      return gauge.getAsLong();
    } catch (RuntimeException e) {
      return -1; // a broken plugin gauge must not break the status line
    }
  }

  private static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric name '" + name + "' must be lower-case words joined by dots, e.g. kernel.lost");
    }
    return name;
  }

  private static final class AdderCounter implements Counter {
    private final LongAdder adder = new LongAdder();

    @Override
    public void add(long amount) {
      if (amount < 0) {
        throw new IllegalArgumentException("counters only go up: " + amount);
      }
      adder.add(amount);
    }

    @Override
    public long get() {
      return adder.sum();
    }
  }
}

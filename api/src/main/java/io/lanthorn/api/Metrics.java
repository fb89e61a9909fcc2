package io.lanthorn.api;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The agent's metric registry, as a plugin sees it. Names a plugin registers are prefixed with its
 * name: {@code counter("records")} in {@code probe-tcp} is {@code probe-tcp.records}.
 */
public interface Metrics {

  /**
   * The counter with this name, created on first use.
   *
   * @param name lower-case words joined by dots or underscores, e.g. {@code kernel.lost}
   * @param description one line for humans
   */
  Counter counter(String name, String description);

  /**
   * Registers a value read on demand, e.g. a queue length or a kernel counter.
   *
   * @param value called from the agent's status thread; must be fast and thread-safe
   */
  void gauge(String name, String description, LongSupplier value);

  /** Every metric of every plugin and of the agent, by full name, read now. */
  Map<String, Long> snapshot();
}

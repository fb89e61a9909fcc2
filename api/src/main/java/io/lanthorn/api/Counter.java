package io.lanthorn.api;

/** A monotonically increasing count; thread-safe and cheap enough for the event path. */
public interface Counter {

  /** Adds one. */
  default void increment() {
    add(1);
  }

  /** Adds a non-negative amount. */
  void add(long amount);

  /** The current total. */
  long get();
}

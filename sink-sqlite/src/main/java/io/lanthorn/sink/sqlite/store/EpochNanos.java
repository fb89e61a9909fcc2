package io.lanthorn.sink.sqlite.store;

import java.time.Instant;

/** Converts instants to the nanoseconds since the Unix epoch that the schema stores. */
public final class EpochNanos {
  private EpochNanos() {}

  /** Nanoseconds since 1970-01-01T00:00:00Z; fits a long until the year 2262. */
  public static long of(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }
}

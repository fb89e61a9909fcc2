package io.lanthorn.web.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The time range a page shows: the last hour, day or week, or a custom range.
 *
 * @param from inclusive start
 * @param to exclusive end
 * @param name {@code 1h}, {@code 24h}, {@code 7d} or {@code custom}
 */
public record Period(Instant from, Instant to, String name) {

  public Period {
    if (!from.isBefore(to)) {
      throw new BadQueryException("the period's start " + from + " must be before its end " + to);
    }
  }

  /**
   * The period a request names: {@code period=1h|24h|7d} counts back from the clock's now, {@code
   * period=custom} takes {@code from} and {@code to} (ISO-8601 instants).
   *
   * @throws BadQueryException with one line naming the bad parameter
   */
  public static Period parse(String period, String from, String to, Clock clock) {
    Instant now = clock.instant();
    String name = period == null || period.isEmpty() ? "1h" : period;
    return switch (name) {
      case "1h" -> new Period(now.minus(Duration.ofHours(1)), now, name);
      case "24h" -> new Period(now.minus(Duration.ofHours(24)), now, name);
      case "7d" -> new Period(now.minus(Duration.ofDays(7)), now, name);
      case "custom" -> new Period(instant("from", from), instant("to", to), name);
      default ->
          throw new BadQueryException(
              "period '" + name + "' is not one of 1h, 24h, 7d or custom (with from and to)");
    };
  }

  /** Start in nanoseconds since the epoch, as the database stores times. */
  public long fromNanos() {
    return nanos(from);
  }

  /** End in nanoseconds since the epoch. */
  public long toNanos() {
    return nanos(to);
  }

  /** A chart bucket: one minute, or longer so that the period has at most 360 of them. */
  public Duration bucket() {
    long minutes = Math.max(1, Duration.between(from, to).toMinutes() / 360 + 1);
    return Duration.ofMinutes(minutes == 1 ? 1 : roundUp(minutes));
  }

  private static long roundUp(long minutes) {
    for (long step : new long[] {2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440}) {
      if (minutes <= step) {
        return step;
      }
    }
    return minutes;
  }

  static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static Instant instant(String parameter, String text) {
    if (text == null || text.isEmpty()) {
      throw new BadQueryException(
          "period=custom needs " + parameter + ", e.g. 2026-11-25T12:00:00Z");
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadQueryException(
          parameter + " '" + text + "' is not an instant like 2026-11-25T12:00:00Z");
    }
  }
}

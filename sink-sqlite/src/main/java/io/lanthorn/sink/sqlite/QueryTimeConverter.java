package io.lanthorn.sink.sqlite;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --since}/{@code --until}: {@code now}, an age ({@code 90s 15m 2h 7d 1w}), an instant
 * ({@code 2026-11-25T08:00:00Z}), or a UTC date or date-time without zone ({@code 2026-11-25},
 * {@code 2026-11-25T08:00}).
 */
final class QueryTimeConverter implements ITypeConverter<Instant> {
  private static final Pattern AGE = Pattern.compile("(\\d+)([smhdw])");

  private final Clock clock;

  /** Ages count back from this clock's now (the system clock, or a test's fixed one). */
  QueryTimeConverter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (text.equals("now")) {
      return clock.instant();
    }
    Matcher age = AGE.matcher(text);
    if (age.matches()) {
      return clock.instant().minus(age(Long.parseLong(age.group(1)), age.group(2)));
    }
    String upper = value.strip().toUpperCase(Locale.ROOT);
    try {
      if (upper.endsWith("Z")) {
        return Instant.parse(upper);
      }
      if (upper.contains("T")) {
        return LocalDateTime.parse(upper).toInstant(ZoneOffset.UTC);
      }
      return LocalDate.parse(upper).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a time: use now, an age like 2h or 7d, or 2026-11-25T08:00");
    }
  }

  private static Duration age(long amount, String unit) {
    return switch (unit) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> Duration.ofDays(7 * amount);
    };
  }
}

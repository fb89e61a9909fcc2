package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;

import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.time.Instant;
import org.jooq.Condition;
import picocli.CommandLine.Option;

/**
 * {@code --since} and {@code --until}: the period a question is about. Read by the {@link
 * QueryTimeConverter} that {@link QueryCommand} registers for {@link Instant}, with its clock.
 */
final class QueryPeriodOptions {
  @Option(
      names = "--since",
      paramLabel = "TIME",
      defaultValue = "24h",
      description =
          "Start of the period: an age like 90s, 15m, 2h, 7d, or a UTC time like 2026-11-25,"
              + " 2026-11-25T08:00 (default: ${DEFAULT-VALUE}).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      defaultValue = "now",
      description = "End of the period (exclusive), same forms (default: ${DEFAULT-VALUE}).")
  Instant until;

  /** Events that started within the period; uses the index on {@code events.timestamp_ns}. */
  Condition events() {
    return EVENTS_VIEW
        .TIMESTAMP_NS
        .ge(EpochNanos.of(since))
        .and(EVENTS_VIEW.TIMESTAMP_NS.lt(EpochNanos.of(until)));
  }
}

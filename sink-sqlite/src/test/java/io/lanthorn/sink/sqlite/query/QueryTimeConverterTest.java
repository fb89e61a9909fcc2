package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class QueryTimeConverterTest {
  private final QueryTimeConverter converter =
      new QueryTimeConverter(Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "now, 2026-11-25T12:00:00Z",
    "90s, 2026-11-25T11:58:30Z",
    "15m, 2026-11-25T11:45:00Z",
    "2h, 2026-11-25T10:00:00Z",
    "7d, 2026-11-18T12:00:00Z",
    "1w, 2026-11-18T12:00:00Z",
    "2026-11-24, 2026-11-24T00:00:00Z",
    "2026-11-24T08:30, 2026-11-24T08:30:00Z",
    "2026-11-24t08:30:15, 2026-11-24T08:30:15Z",
    "2026-11-24T08:30:15.5Z, 2026-11-24T08:30:15.500Z"
  })
  void readsAgesDatesAndInstantsAsUtc(String text, String expected) {
    assertThat(converter.convert(text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2h ago", "2026-13-01", "-5m"})
  void rejectsAnythingElseSayingWhatWorks(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("use now, an age like 2h or 7d, or 2026-11-25T08:00");
  }
}

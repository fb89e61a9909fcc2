package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheMaximumAndStartsOverAfterSuccess() {
    var backoff = new DockerWatcher.Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));
    assertThat(Stream.generate(backoff::next).limit(5).map(Duration::toMillis))
        .containsExactly(250L, 500L, 1000L, 1000L, 1000L);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aMaximumBelowTheMinimumIsTheMinimum() {
    var backoff = new DockerWatcher.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
  }
}

package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DockerCallsTest {
  final DockerCalls calls = new DockerCalls(1, "test");

  @AfterEach
  void close() {
    calls.close();
  }

  @Test
  void returnsResultsAndRethrowsFailures() throws Exception {
    assertThat(calls.call("answer", Duration.ofSeconds(5), () -> 42)).isEqualTo(42);
    assertThatThrownBy(
            () ->
                calls.call(
                    "failing",
                    Duration.ofSeconds(5),
                    () -> {
                      throw new IllegalStateException("daemon said no");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("daemon said no");
  }

  @Test
  void aHungCallTimesOutAndIsInterrupted() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    var future =
        calls.submit(
            "GET /hung",
            Duration.ofMillis(100),
            () -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
              return null;
            });
    assertThatThrownBy(future::get)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("GET /hung took longer than 100 ms");
    await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    // The only worker is free again.
    assertThat(calls.call("next", Duration.ofSeconds(5), () -> "ok")).isEqualTo("ok");
  }
}

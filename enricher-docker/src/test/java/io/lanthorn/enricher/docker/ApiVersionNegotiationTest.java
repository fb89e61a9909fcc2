package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiVersionNegotiationTest {
  static final ApiVersion CLIENT = ApiVersionNegotiation.CLIENT_MAX;

  @Test
  void olderDaemonWins() {
    // Debian 12's dockerd: 20.10, API 1.41, minimum 1.12.
    assertThat(ApiVersionNegotiation.choose("1.41", "1.12", CLIENT))
        .isEqualTo(new ApiVersion(1, 41));
  }

  @Test
  void newerDaemonIsSpokenToInTheClientsVersion() {
    assertThat(ApiVersionNegotiation.choose("1.52", "1.24", CLIENT))
        .isEqualTo(new ApiVersion(1, 44));
  }

  @Test
  void daemonThatDroppedTheClientsVersionGetsItsOldest() {
    assertThat(ApiVersionNegotiation.choose("1.60", "1.50", CLIENT))
        .isEqualTo(new ApiVersion(1, 50));
  }

  @Test
  void unreadableAnswersMeanNoVersionPrefix() {
    assertThat(ApiVersionNegotiation.choose(null, null, CLIENT)).isNull();
    assertThat(ApiVersionNegotiation.choose("latest", "1.12", CLIENT)).isNull();
    assertThat(ApiVersionNegotiation.choose("1.41", "garbage", CLIENT))
        .isEqualTo(new ApiVersion(1, 41));
  }

  @Test
  void parsesAndOrders() {
    assertThat(ApiVersion.parse("v1.41")).isEqualTo(new ApiVersion(1, 41));
    assertThat(ApiVersion.parse(" 1.9 ")).isEqualTo(new ApiVersion(1, 9));
    assertThat(ApiVersion.parse("1")).isNull();
    assertThat(new ApiVersion(1, 9)).isLessThan(new ApiVersion(1, 10));
    assertThat(new ApiVersion(1, 44)).isLessThan(new ApiVersion(2, 0));
    assertThat(new ApiVersion(1, 41).toString()).isEqualTo("1.41");
  }
}

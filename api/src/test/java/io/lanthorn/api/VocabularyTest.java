package io.lanthorn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  @Test
  void theFamilyIsOpenTelemetrysNetworkType() {
    assertThat(Vocabulary.networkType(AddressFamily.INET)).isEqualTo("ipv4");
    assertThat(Vocabulary.networkType(AddressFamily.INET6)).isEqualTo("ipv6");
    for (AddressFamily family : AddressFamily.values()) {
      assertThat(Vocabulary.ofNetworkType(Vocabulary.networkType(family))).isEqualTo(family);
    }
    assertThatThrownBy(() -> Vocabulary.ofNetworkType("inet")).hasMessageContaining("inet");
  }

  @Test
  void idsAreUnsigned() {
    assertThat(Vocabulary.unsignedId(-1)).isEqualTo(4_294_967_295L);
    assertThat(Vocabulary.unsignedId(65_534)).isEqualTo(65_534L);
  }

  @Test
  void aPendingHandshakeHasNoTime() {
    ConnectionEvent.Builder builder =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .sourceAddress(InetAddress.getLoopbackAddress())
            .destinationAddress(InetAddress.getLoopbackAddress())
            .comm("t");
    assertThat(Vocabulary.handshakeNanos(builder.outcome(Outcome.PENDING).build())).isNull();
    assertThat(
            Vocabulary.handshakeNanos(
                builder.outcome(Outcome.ESTABLISHED).handshakeNanos(1_500).build()))
        .isEqualTo(1_500L);
  }

  @Test
  void timesAreIsoUtc() {
    assertThat(Vocabulary.timeText(1_764_079_387_123_000_000L))
        .isEqualTo("2025-11-25T14:03:07.123Z");
  }

  @Test
  void kindLabelsAreTheRustLanthornsEventTypes() {
    assertThat(EventKind.TCP_CONNECT.label()).isEqualTo("tcp_connect");
    assertThat(EventKind.TCP_ACCEPT.label()).isEqualTo("tcp_accept");
    assertThat(EventKind.UDP_SEND.label()).isEqualTo("udp_send");
    assertThat(EventKind.ofLabel("dns_answer")).isEqualTo(EventKind.DNS_ANSWER);
  }
}

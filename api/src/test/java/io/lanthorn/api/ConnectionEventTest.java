package io.lanthorn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionEventTest {

  private static ConnectionEvent sample() throws Exception {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET6)
        .sourceAddress(InetAddress.ofLiteral("::1"))
        .sourcePort(40_000)
        .destinationAddress(InetAddress.ofLiteral("::1"))
        .destinationPort(443)
        .timestampNanos(1_764_000_000_123_456_789L)
        .pid(42)
        .comm("curl")
        .outcome(Outcome.ESTABLISHED)
        .handshakeNanos(12_345)
        .build();
  }

  @Test
  void withAttributeCopiesAndLeavesTheOriginalAlone() throws Exception {
    ConnectionEvent original = sample();
    ConnectionEvent named = original.withAttribute(StandardAttributes.CONTAINER_NAME, "web");

    assertThat(named.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo("web");
    assertThat(original.attributes().isEmpty()).isTrue();
    assertThat(named.toBuilder().build()).isEqualTo(named);
  }

  @Test
  void mapAttributesAreCopiedSoTheCallerCannotChangeThem() throws Exception {
    Map<String, String> labels = new HashMap<>(Map.of("a", "1"));
    ConnectionEvent event = sample().withAttribute(StandardAttributes.CONTAINER_LABELS, labels);
    labels.put("b", "2");

    assertThat(event.attribute(StandardAttributes.CONTAINER_LABELS)).containsOnlyKeys("a");
  }

  @Test
  void aNullValueRemovesTheAttribute() throws Exception {
    ConnectionEvent event =
        sample()
            .withAttribute(StandardAttributes.CONTAINER_ID, "abc")
            .withAttribute(StandardAttributes.CONTAINER_ID, null);

    assertThat(event.attributes().contains(StandardAttributes.CONTAINER_ID)).isFalse();
  }

  @Test
  void rejectsPortsOutOfRangeAndMissingComponents() throws Exception {
    assertThatThrownBy(() -> sample().toBuilder().destinationPort(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("destinationPort");
    assertThatThrownBy(() -> sample().toBuilder().outcome(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("outcome");
  }

  @Test
  void attributeKeysNeedConventionalNames() {
    assertThatThrownBy(() -> AttributeKey.stringKey("Container Name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Container Name");
    assertThat(AttributeKey.stringKey("container.name"))
        .isEqualTo(StandardAttributes.CONTAINER_NAME);
  }

  @Test
  void outcomeAndFamilyRoundTripTheirExternalForms() {
    for (Outcome outcome : Outcome.values()) {
      assertThat(Outcome.ofLabel(outcome.label())).isEqualTo(outcome);
    }
    assertThat(AddressFamily.ofCode(10)).isEqualTo(AddressFamily.INET6);
    assertThatThrownBy(() -> AddressFamily.ofCode(1)).isInstanceOf(IllegalArgumentException.class);
  }
}

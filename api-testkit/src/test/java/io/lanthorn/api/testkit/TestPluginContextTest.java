package io.lanthorn.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestPluginContextTest {

  @Test
  void readsThePluginsSectionWithOverridesOnTop() {
    TestPluginContext context =
        TestPluginContext.forPlugin("sample").with("size = 2K").with(Map.of("name", "b"));

    assertThat(context.config().getBytes("size")).isEqualTo(2048);
    assertThat(context.config().getString("name")).isEqualTo("b");
    assertThat(context.config().getDuration("interval").toMillis()).isEqualTo(250);
    // The agent owns "enabled" and never hands it to the plugin.
    assertThat(context.config().hasPath("enabled")).isFalse();
  }

  @Test
  void anUnknownOrMistypedOverrideIsRefusedAsTheAgentRefusesIt() {
    TestPluginContext context = TestPluginContext.forPlugin("sample");

    assertThatThrownBy(() -> context.with("sise = 2K"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configuration: unknown key sample.sise (")
        .hasMessageEndingWith("sample accepts: interval, name, size");
    assertThatThrownBy(() -> context.with(Map.of("interval", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configuration: sample.interval")
        .hasMessageContaining("duration");
    assertThat(context.with(Map.of("interval", "1s")).config().getDuration("interval"))
        .hasSeconds(1);
  }

  @Test
  void anUnknownSectionFailsLoudly() {
    assertThatThrownBy(() -> TestPluginContext.forPlugin("absent")).hasMessageContaining("absent");
  }

  @Test
  void metricsAreReadBackByName() {
    TestPluginContext context = TestPluginContext.forPlugin("sample");
    context.metrics().counter("written", "rows written").add(3);
    context.metrics().gauge("queued", "rows waiting", () -> 7);

    assertThat(context.metrics().value("written")).isEqualTo(3);
    assertThat(context.metrics().value("queued")).isEqualTo(7);
    assertThatThrownBy(() -> context.metrics().value("missing"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("written");
  }

  @Test
  void theEmitterRecordsEventsAndLoss() {
    RecordingEmitter emitter = new RecordingEmitter();
    ConnectionEvent event =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .sourceAddress(InetAddress.ofLiteral("127.0.0.1"))
            .destinationAddress(InetAddress.ofLiteral("127.0.0.1"))
            .destinationPort(80)
            .comm("test")
            .outcome(Outcome.REFUSED)
            .build();
    emitter.emit(event);
    emitter.reportLost("ring_full", 2);
    emitter.reportLost("ring_full", 1);

    assertThat(emitter.events()).containsExactly(event);
    assertThat(emitter.connections(e -> e.destinationPort() == 81)).isEmpty();
    assertThat(emitter.connections()).containsExactly(event);
    assertThat(emitter.count(e -> e.destinationPort() == 81)).isZero();
    assertThat(emitter.count(e -> true)).isEqualTo(1);
    assertThat(emitter.lost()).containsEntry("ring_full", 3L);
    assertThat(emitter.totalLost()).isEqualTo(3);
  }
}

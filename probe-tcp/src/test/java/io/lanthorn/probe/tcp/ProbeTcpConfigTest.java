package io.lanthorn.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.config.HoconPluginConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTcpConfigTest {

  @Test
  void readsTheDefaults() throws Exception {
    ProbeTcpConfig config = ProbeTcpConfig.from(TestPluginContext.forPlugin("probe-tcp").config());

    assertThat(config.ringSize()).isEqualTo(8 << 20);
    assertThat(config.wakeupThreshold()).isEqualTo(2 << 20);
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.inflightEntries()).isEqualTo(16384);
    assertThat(config.inflightTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.captureArgv()).isTrue();
    assertThat(config.attach()).isEqualTo(List.of("tp_btf", "tracepoint"));
  }

  @Test
  void rejectsARingSizeThatIsNotAPowerOfTwo() {
    assertThatThrownBy(
            () ->
                ProbeTcpConfig.from(
                    TestPluginContext.forPlugin("probe-tcp").with("ring-size = 3M").config()))
        .isInstanceOf(PluginException.class)
        .hasMessage(
            "probe-tcp.ring-size must be a power of two from 4K to 1G (e.g. 8M), not 3145728");
  }

  @Test
  void rejectsAThresholdAboveTheRing() {
    assertThatThrownBy(
            () ->
                ProbeTcpConfig.from(
                    TestPluginContext.forPlugin("probe-tcp")
                        .with("ring-size = 1M, wakeup-threshold = 1M")
                        .config()))
        .hasMessageStartingWith("probe-tcp.wakeup-threshold must be at least 0 and less than");
  }

  @Test
  void rejectsUnknownStrategies() {
    assertThatThrownBy(
            () ->
                ProbeTcpConfig.from(
                    TestPluginContext.forPlugin("probe-tcp").with("attach = [kprobe]").config()))
        .hasMessage("probe-tcp.attach: unknown strategy kprobe; known: tp_btf, tracepoint");
  }

  @Test
  void rejectsWrongTypesWithTheKey() {
    // The agent (and TestPluginContext.with) refuses this before the plugin starts; the plugin
    // still reads defensively, so the override goes straight into its configuration here.
    PluginConfig unchecked =
        new HoconPluginConfig(
            "probe-tcp",
            ConfigFactory.parseString("poll-interval = soon")
                .withFallback(
                    ConfigFactory.parseResources("reference.conf").getConfig("probe-tcp")));
    assertThatThrownBy(() -> ProbeTcpConfig.from(unchecked))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("poll-interval");
  }
}

package io.lanthorn.probe.udp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.EventSource;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeUdpFactoryTest {
  @TempDir Path dir;

  @Test
  void whereTheCgroupProgramsCannotAttachItCapturesNothingAndSaysSo() throws Exception {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF unavailable: " + reason.orElseThrow());
    // A plain directory is no cgroup: attaching there fails like a missing CAP_NET_ADMIN would.
    try (EventSource source =
        new ProbeUdpFactory()
            .create(
                TestPluginContext.forPlugin("probe-udp")
                    .with("cgroup-root = \"" + dir + "\"")
                    .withEmitter(new RecordingEmitter()))) {
      assertThat(source).isNotInstanceOf(UdpFlowSource.class);
      source.stop();
    }
  }

  @Test
  void badSettingsNameTheKey() {
    assertThatThrownBy(
            () ->
                new ProbeUdpFactory()
                    .validate(
                        TestPluginContext.forPlugin("probe-udp")
                            .with("interval = 1s, idle-timeout = 100ms")
                            .config()))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("probe-udp.idle-timeout");
  }
}

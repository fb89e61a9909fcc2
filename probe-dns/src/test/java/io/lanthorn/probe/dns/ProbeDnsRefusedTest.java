package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the kernel or the host refuses the capture, connections pass on unnamed. */
class ProbeDnsRefusedTest {

  @Test
  void aDirectoryThatIsNoCgroupLeavesConnectionsUnnamed(@TempDir Path notACgroup) throws Exception {
    KernelTests.assumeBpf();
    RecordingEmitter emitted = new RecordingEmitter();
    try (ProbeDnsPlugin plugin =
        new ProbeDnsFactory()
            .create(
                TestPluginContext.forPlugin("probe-dns")
                    .with("cgroup-root = \"" + notACgroup + "\"")
                    .withEmitter(emitted))) {

      assertThat(plugin.capture()).isNull();
      ConnectionEvent event =
          ConnectionEvent.builder()
              .family(AddressFamily.INET)
              .sourceAddress(InetAddress.ofLiteral("127.0.0.1"))
              .destinationAddress(InetAddress.ofLiteral("127.0.0.2"))
              .destinationPort(80)
              .comm("test")
              .outcome(Outcome.ESTABLISHED)
              .build();
      List<Event> batch = new ArrayList<>(List.of(event));
      plugin.enrichAll(batch);
      assertThat(batch).containsExactly(event);
      plugin.stop();
    }
    assertThat(emitted.events()).isEmpty();
  }

  @Test
  void aBadSettingIsOneLineNamingTheKey() {
    assertThatThrownBy(
            () ->
                new ProbeDnsFactory()
                    .validate(
                        TestPluginContext.forPlugin("probe-dns").with("ring-size = 5K").config()))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith("probe-dns.ring-size must be a power of two");
  }
}

package io.lanthorn.probe.tcp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.bpf.BpfMap;
import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.BpfProgram;
import io.lanthorn.bpf.BpfSupport;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build makes the program for x86 ({@code __TARGET_ARCH_x86}) and arm64 ({@code
 * __TARGET_ARCH_arm64}). The x86 one is loaded into this kernel by the other tests; here both are
 * opened by libbpf (which parses any architecture's object without loading it) and must hold the
 * same programs, maps and record layout, so the arm64 build cannot silently drift.
 */
class ArchitecturesTest {

  @Test
  void eachArchitectureGetsItsOwnObject() {
    assertThat(ProbeTcpSource.elfResource("amd64")).isEqualTo("tcp_probe.x86.bpf.o");
    assertThat(ProbeTcpSource.elfResource("aarch64")).isEqualTo("tcp_probe.arm64.bpf.o");
    assertThat(ProbeTcpSource.class.getResource("tcp_probe.x86.bpf.o")).isNotNull();
    assertThat(ProbeTcpSource.class.getResource("tcp_probe.arm64.bpf.o")).isNotNull();
  }

  @Test
  void theArm64ObjectOpensWithTheSameProgramsMapsAndRecords() throws Exception {
    require(
        BpfSupport.unavailableReason().map(r -> !r.contains("libbpf.so.1")).orElse(true),
        "libbpf.so.1 is not installed");
    try (BpfObject x86 = open("tcp_probe.x86.bpf.o");
        BpfObject arm64 = open("tcp_probe.arm64.bpf.o")) {
      assertThat(names(arm64.programs().stream().map(BpfProgram::name).toList()))
          .isEqualTo(names(x86.programs().stream().map(BpfProgram::name).toList()))
          .contains("lt_tcp_tp_btf", "lt_tcp_tp");
      assertThat(arm64.maps().stream().map(BpfMap::name).toList())
          .isEqualTo(x86.maps().stream().map(BpfMap::name).toList());
      for (String struct : List.of("tcp_event", "tcp_process")) {
        assertThat(arm64.btf().struct(struct)).isPresent().isEqualTo(x86.btf().struct(struct));
      }
    }
  }

  private static List<String> names(List<String> names) {
    return names.stream().sorted().toList();
  }

  private static BpfObject open(String resource) throws Exception {
    try (InputStream in = ProbeTcpSource.class.getResourceAsStream(resource)) {
      return BpfObject.open(resource.replace('.', '_'), in.readAllBytes());
    }
  }
}

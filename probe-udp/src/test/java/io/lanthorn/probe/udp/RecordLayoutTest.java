package io.lanthorn.probe.udp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.BpfSupport;
import io.lanthorn.bpf.Btf;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fails when udp_flow.h and FlowLayout disagree: compares them through the object's BTF. */
class RecordLayoutTest {

  @Test
  void keyValueAndCountersMatchTheKernelProgram() throws Exception {
    require(
        BpfSupport.unavailableReason().map(r -> !r.contains("libbpf.so.1")).orElse(true),
        "libbpf.so.1 is not installed");
    byte[] elf;
    try (InputStream in = UdpFlowSource.class.getResourceAsStream(UdpFlowSource.ELF_RESOURCE)) {
      elf = in.readAllBytes();
    }
    try (BpfObject object = BpfObject.open("udp_layout_check", elf)) {
      Btf btf = object.btf();
      assertMatches(btf, FlowLayout.KEY, "udp_flow_key");
      assertMatches(btf, FlowLayout.FLOW, "udp_flow");
      assertThat(btf.struct("udp_counters").orElseThrow().memberOffsets().keySet())
          .containsExactlyElementsOf(FlowLayout.COUNTERS);
    }
  }

  private static void assertMatches(Btf btf, StructLayout layout, String struct) {
    Btf.Struct kernel = btf.struct(struct).orElseThrow();
    Map<String, Long> javaOffsets = new LinkedHashMap<>();
    for (MemoryLayout member : layout.memberLayouts()) {
      if (!(member instanceof PaddingLayout)) {
        String name = member.name().orElseThrow();
        javaOffsets.put(name, layout.byteOffset(MemoryLayout.PathElement.groupElement(name)));
      }
    }
    assertThat(javaOffsets).as(struct).containsExactlyEntriesOf(kernel.memberOffsets());
    assertThat(layout.byteSize()).as(struct + " size").isEqualTo(kernel.size());
  }
}

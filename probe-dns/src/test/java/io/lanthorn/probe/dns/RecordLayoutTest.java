package io.lanthorn.probe.dns;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.BpfSupport;
import io.lanthorn.bpf.Btf;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fails when dns_event.h and RecordLayout disagree: compares the structs' BTF in the compiled
 * program with the Java layout, field by field (libbpf only, no kernel).
 */
class RecordLayoutTest {
  private BpfObject object;
  private Btf btf;

  @BeforeEach
  void open() throws Exception {
    require(
        BpfSupport.unavailableReason().map(r -> !r.contains("libbpf.so.1")).orElse(true),
        "libbpf.so.1 (package libbpf1)");
    try (InputStream in = DnsCapture.class.getResourceAsStream(DnsCapture.ELF_RESOURCE)) {
      object = BpfObject.open("dns_layout_check", in.readAllBytes());
    }
    btf = object.btf();
  }

  @AfterEach
  void close() {
    if (object != null) {
      object.close();
    }
  }

  @Test
  void responseMatchesTheKernelProgram() {
    Btf.Struct kernel = btf.struct("dns_response").orElseThrow();
    Map<String, Long> javaOffsets = new LinkedHashMap<>();
    for (MemoryLayout member : RecordLayout.RESPONSE.memberLayouts()) {
      if (!(member instanceof PaddingLayout)) {
        String name = member.name().orElseThrow();
        javaOffsets.put(
            name, RecordLayout.RESPONSE.byteOffset(MemoryLayout.PathElement.groupElement(name)));
      }
    }
    assertThat(javaOffsets).containsExactlyEntriesOf(kernel.memberOffsets());
    assertThat(RecordLayout.SIZE).isEqualTo(kernel.size());
  }

  @Test
  void countersMatchTheKernelProgram() {
    Btf.Struct counters = btf.struct("dns_counters").orElseThrow();

    assertThat(counters.memberOffsets().keySet()).containsExactlyElementsOf(RecordLayout.COUNTERS);
    assertThat(counters.size()).isEqualTo(8L * RecordLayout.COUNTERS.size());
  }

  @Test
  void theObjectHasEveryProgramTheCaptureAttaches() {
    assertThat(object.programs()).extracting(p -> p.name()).containsAll(DnsCapture.PROGRAMS);
    assertThat(btf.variable(".rodata", "wakeup_threshold").orElseThrow().size()).isEqualTo(8);
  }
}

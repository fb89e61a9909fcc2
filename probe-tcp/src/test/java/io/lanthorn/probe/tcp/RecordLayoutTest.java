package io.lanthorn.probe.tcp;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fails when tcp_event.h and RecordLayout disagree: reads the structs' BTF from the compiled
 * program (no kernel needed, only libbpf) and compares it with the Java layout field by field.
 */
class RecordLayoutTest {
  private Btf btf;
  private BpfObject object;

  @BeforeEach
  void open() throws Exception {
    require(libbpfPresent(), "libbpf.so.1 is not installed");
    byte[] elf;
    try (InputStream in = ProbeTcpSource.class.getResourceAsStream(ProbeTcpSource.ELF_RESOURCE)) {
      elf = in.readAllBytes();
    }
    object = BpfObject.open("layout_check", elf);
    btf = object.btf();
  }

  @AfterEach
  void close() {
    if (object != null) {
      object.close();
    }
  }

  private static boolean libbpfPresent() {
    return BpfSupport.unavailableReason()
        .map(reason -> !reason.contains("libbpf.so.1"))
        .orElse(true);
  }

  @Test
  void eventMatchesTheKernelProgram() {
    assertMatches(RecordLayout.EVENT, "tcp_event");
    assertThat(RecordLayout.SIZE).isEqualTo(RecordLayout.EVENT.byteSize());
  }

  @Test
  void processMatchesTheKernelProgram() {
    assertMatches(RecordLayout.PROCESS, "tcp_process");
    assertThat(RecordLayout.PROCESS_SIZE).isEqualTo(RecordLayout.PROCESS.byteSize());
  }

  @Test
  void acceptAndCloseMatchTheKernelProgram() {
    assertMatches(RecordLayout.ACCEPT, "tcp_accept");
    assertMatches(RecordLayout.CLOSE, "tcp_close");
  }

  @Test
  void inFlightSlotMatchesTheKernelProgram() {
    assertMatches(RecordLayout.SLOT, "inflight_slot");
  }

  @Test
  void everyRecordStartsWithItsKind() {
    assertThat(btf.struct("tcp_event").orElseThrow().memberOffsets())
        .containsEntry("kind", RecordLayout.KIND);
    assertThat(btf.struct("tcp_process").orElseThrow().memberOffsets())
        .containsEntry("kind", RecordLayout.KIND);
    assertThat(btf.struct("tcp_accept").orElseThrow().memberOffsets())
        .containsEntry("kind", RecordLayout.KIND);
    assertThat(btf.struct("tcp_close").orElseThrow().memberOffsets())
        .containsEntry("kind", RecordLayout.KIND);
    // Told apart by their first byte, and by their size as a second check.
    assertThat(
            java.util.Set.of(
                RecordLayout.SIZE,
                RecordLayout.PROCESS_SIZE,
                RecordLayout.ACCEPT_SIZE,
                RecordLayout.CLOSE_SIZE))
        .hasSize(4);
  }

  private void assertMatches(StructLayout layout, String struct) {
    Btf.Struct kernel = btf.struct(struct).orElseThrow();
    Map<String, Long> javaOffsets = new LinkedHashMap<>();
    for (MemoryLayout member : layout.memberLayouts()) {
      if (!(member instanceof PaddingLayout)) {
        javaOffsets.put(
            member.name().orElseThrow(),
            layout.byteOffset(MemoryLayout.PathElement.groupElement(member.name().orElseThrow())));
      }
    }
    assertThat(javaOffsets).containsExactlyEntriesOf(kernel.memberOffsets());
    assertThat(layout.byteSize()).isEqualTo(kernel.size());
  }

  @Test
  void countersMatchTheKernelProgram() {
    Btf.Struct counters = btf.struct("tcp_counters").orElseThrow();

    assertThat(counters.memberOffsets().keySet()).containsExactlyElementsOf(RecordLayout.COUNTERS);
    assertThat(counters.size()).isEqualTo(8L * RecordLayout.COUNTERS.size());
  }

  @Test
  void constantsTheSourceSetsExist() {
    assertThat(btf.variable(".rodata", "wakeup_threshold").orElseThrow().size()).isEqualTo(8);
    assertThat(btf.variable(".rodata", "capture_argv").orElseThrow().size()).isEqualTo(1);
    assertThat(btf.variable(".rodata", "inflight_slots").orElseThrow().size()).isEqualTo(4);
  }
}

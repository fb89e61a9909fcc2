package io.lanthorn.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BtfTest {

  @Test
  void readsStructLayoutAsCompiled() {
    try (BpfObject object = BpfObject.open("ring_test", TestObjects.ringTestElf())) {
      Btf.Struct sample = object.btf().struct("sample").orElseThrow();

      assertThat(sample.size()).isEqualTo(32);
      assertThat(sample.memberOffsets())
          .containsExactly(
              java.util.Map.entry("seq", 0L),
              java.util.Map.entry("size", 8L),
              java.util.Map.entry("marker", 12L),
              java.util.Map.entry("payload", 16L));
      assertThat(object.btf().struct("no_such_struct")).isEmpty();
    }
  }

  @Test
  void findsConstantsInRodata() {
    try (BpfObject object = BpfObject.open("ring_test", TestObjects.ringTestElf())) {
      assertThat(object.btf().variable(".rodata", "marker"))
          .contains(new Btf.Variable("marker", 0, 4));
    }
  }

  @Test
  void namesWhatIsMissing() {
    try (BpfObject object = BpfObject.open("ring_test", TestObjects.ringTestElf())) {
      assertThatThrownBy(() -> object.program("nope"))
          .hasMessage("BPF object ring_test has no program nope");
      assertThatThrownBy(() -> object.setConstant("nope", 1))
          .hasMessage("BPF object ring_test has no constant nope");
    }
  }

  @Test
  void rejectsGarbageWithErrno() {
    assertThatThrownBy(() -> BpfObject.open("junk", new byte[] {1, 2, 3}))
        .isInstanceOf(BpfException.class)
        .hasMessageStartingWith("cannot open BPF object junk: ")
        .satisfies(e -> assertThat(((BpfException) e).errno()).isPositive());
  }
}

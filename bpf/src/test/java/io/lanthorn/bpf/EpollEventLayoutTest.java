package io.lanthorn.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpollEventLayoutTest {

  @Test
  void x86IsPackedIntoTwelveBytes() {
    for (String arch : new String[] {"amd64", "x86_64"}) {
      EpollEventLayout layout = EpollEventLayout.forArch(arch);
      assertThat(layout.size()).isEqualTo(12);
      assertThat(layout.eventsOffset()).isZero();
      assertThat(layout.dataOffset()).isEqualTo(4);
    }
  }

  @Test
  void aarch64AlignsDataToEightInSixteenBytes() {
    EpollEventLayout layout = EpollEventLayout.forArch("aarch64");
    assertThat(layout.size()).isEqualTo(16);
    assertThat(layout.eventsOffset()).isZero();
    assertThat(layout.dataOffset()).isEqualTo(8);
  }

  @Test
  void thisMachinesLayoutIsOneOfThem() {
    assertThat(EpollEventLayout.current())
        .isIn(EpollEventLayout.X86_64, EpollEventLayout.ALIGNED_64);
    if (System.getProperty("os.arch").equals("amd64")) {
      assertThat(EpollEventLayout.current()).isEqualTo(EpollEventLayout.X86_64);
    }
  }
}

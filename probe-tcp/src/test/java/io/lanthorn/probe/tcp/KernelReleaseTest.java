package io.lanthorn.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelReleaseTest {

  @Test
  void olderThanFiveTwelveIsRefusedInOneLineNamingTheMinimum() {
    assertThat(KernelRelease.refusal("5.11.22-generic"))
        .hasValue(
            "probe-tcp needs Linux 5.12 or newer (BPF compare-and-swap), but this kernel is"
                + " 5.11.22-generic: upgrade the kernel, or run without the probe"
                + " (--disable-tcp-mon)");
    assertThat(KernelRelease.refusal("5.8.0")).isPresent();
    assertThat(KernelRelease.refusal("4.19.0-27-amd64")).isPresent();
  }

  @Test
  void fiveTwelveAndNewerRun() {
    assertThat(KernelRelease.refusal("5.12.0")).isEmpty();
    assertThat(KernelRelease.refusal("5.15.0-91-generic")).isEmpty();
    assertThat(KernelRelease.refusal("6.1.0-18-amd64")).isEmpty();
    assertThat(KernelRelease.refusal("10.0.0")).isEmpty();
  }

  @Test
  void anUnreadableReleaseIsLeftToTheLoader() {
    assertThat(KernelRelease.refusal("")).isEmpty();
    assertThat(KernelRelease.refusal("custom")).isEmpty();
  }

  @Test
  void thisKernelRuns() {
    assertThat(KernelRelease.current()).isPresent();
    assertThat(KernelRelease.refusal(KernelRelease.current().orElseThrow())).isEmpty();
  }
}

package io.lanthorn.bpf;

import static io.lanthorn.api.testkit.Requirements.require;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test program, and the assumption that tests needing the kernel make. */
final class TestObjects {
  private TestObjects() {}

  static byte[] ringTestElf() {
    try (InputStream in = TestObjects.class.getResourceAsStream("/ring_test.bpf.o")) {
      if (in == null) {
        throw new IllegalStateException("ring_test.bpf.o missing: build with Maven");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assumeBpf() {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF unavailable: " + reason.orElseThrow());
  }
}

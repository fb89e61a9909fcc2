package io.lanthorn.bpf;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks, before any load, what a CO-RE tracing program needs: libbpf, kernel BTF and privilege.
 * Each failure is one line naming what is missing and how to get it.
 */
public final class BpfSupport {
  static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");
  private static final int CAP_SYS_ADMIN = 21;
  private static final int CAP_PERFMON = 38;
  private static final int CAP_BPF = 39;

  private BpfSupport() {}

  /** Throws a {@link BpfException} saying what is missing, if anything is. */
  public static void check() {
    unavailableReason()
        .ifPresent(
            reason -> {
              throw new BpfException(reason);
            });
  }

  /** Why eBPF tracing cannot work in this process, or empty when it can. */
  public static Optional<String> unavailableReason() {
    try {
      LibBpf.library();
    } catch (BpfException e) {
      return Optional.of(e.getMessage());
    }
    if (!Files.isReadable(KERNEL_BTF)) {
      return Optional.of(
          "the kernel has no BTF ("
              + KERNEL_BTF
              + " is missing): use a kernel built with CONFIG_DEBUG_INFO_BTF=y (most distributions'"
              + " kernels since 5.8)");
    }
    BigInteger caps = effectiveCapabilities();
    boolean privileged =
        caps.testBit(CAP_SYS_ADMIN) || (caps.testBit(CAP_BPF) && caps.testBit(CAP_PERFMON));
    if (!privileged) {
      return Optional.of(
          "no privilege to load eBPF programs: run as root or grant the capabilities CAP_BPF and"
              + " CAP_PERFMON");
    }
    return Optional.empty();
  }

  private static BigInteger effectiveCapabilities() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return new BigInteger(line.substring("CapEff:".length()).strip(), 16);
        }
      }
      return BigInteger.ZERO;
    } catch (IOException e) {
      return BigInteger.ZERO;
    }
  }
}

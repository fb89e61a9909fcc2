package io.lanthorn.probe.tcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oldest kernel the probe runs on, and the one-line refusal on an older one.
 *
 * <p>Linux 5.12: the in-flight table claims and releases its slots with BPF compare-and-swap
 * ({@code __sync_val_compare_and_swap}, the {@code BPF_ATOMIC | BPF_CMPXCHG} instruction), which
 * the verifier accepts from 5.12 on. Everything else the probe uses is older: the ring buffer
 * (5.8), mmapable arrays (5.5), {@code tp_btf} programs (5.5) and {@code bpf_get_current_task_btf}
 * (5.11, and only under {@code tp_btf}; the tracepoint program reads the task with {@code
 * bpf_get_current_task}). Refusing up front is clearer than the verifier's log.
 */
final class KernelRelease {
  static final int MIN_MAJOR = 5;
  static final int MIN_MINOR = 12;

  private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

  private KernelRelease() {}

  /** This kernel's release, e.g. {@code 6.18.0-1-amd64}, or empty when it cannot be read. */
  static Optional<String> current() {
    try {
      return Optional.of(Files.readString(OSRELEASE).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Why the probe cannot run on a kernel of this release, in one line; empty when it can, or when
   * the release does not read as {@code MAJOR.MINOR…} (the loader then reports what fails).
   */
  static Optional<String> refusal(String release) {
    Matcher m = VERSION.matcher(release);
    if (!m.find()) {
      return Optional.empty();
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR)) {
      return Optional.empty();
    }
    return Optional.of(
        "probe-tcp needs Linux "
            + MIN_MAJOR
            + "."
            + MIN_MINOR
            + " or newer (BPF compare-and-swap), but this kernel is "
            + release
            + ": upgrade the kernel, or run without the probe (--disable-tcp-mon)");
  }
}

package io.lanthorn.probe.dns;

import static io.lanthorn.api.testkit.Requirements.require;

import io.lanthorn.bpf.BpfSupport;
import io.lanthorn.bpf.Cgroup2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the tests that load the program share: the assumption they make, the cgroup root. */
final class KernelTests {
  private KernelTests() {}

  static void assumeBpf() {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF (" + reason.orElseThrow() + ")");
  }

  static Path cgroupRoot() {
    return Cgroup2.root(Cgroup2.MOUNTINFO);
  }

  static DnsCapture.Settings settings() {
    return new DnsCapture.Settings(cgroupRoot(), 1 << 20, 64 << 10, 4096, Duration.ofMillis(20));
  }

  /** The cgroup v2 id (its directory's inode) of this process. */
  static long ownCgroupId() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        if (line.startsWith("0::")) {
          Path dir = Path.of(cgroupRoot() + line.substring(3));
          return (Long) Files.getAttribute(dir, "unix:ino");
        }
      }
      throw new IllegalStateException("no cgroup v2 line in /proc/self/cgroup");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The program ids {@code bpftool cgroup show} lists for the root: the independent view. */
  static List<Integer> bpftoolShowIds() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bpftool", "cgroup", "show", cgroupRoot().toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    List<Integer> ids = new ArrayList<>();
    for (String line : out.lines().toList()) {
      String[] fields = line.trim().split("\\s+", -1);
      if (fields.length >= 3 && fields[0].matches("\\d+")) {
        ids.add(Integer.parseInt(fields[0]));
      }
    }
    return ids;
  }

  /** The names {@code bpftool cgroup show} lists for the root: the independent view. */
  static List<String> bpftoolShow() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bpftool", "cgroup", "show", cgroupRoot().toString())
            .redirectErrorStream(true)
            .start();
    List<String> names = new ArrayList<>();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    for (String line : out.lines().toList()) {
      String[] fields = line.trim().split("\\s+", -1);
      if (fields.length >= 3 && fields[0].matches("\\d+")) {
        names.add(fields[fields.length - 1]);
      }
    }
    return names;
  }
}

package io.lanthorn.probe.udp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.bpf.BpfSupport;
import io.lanthorn.bpf.Cgroup2;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent that dies by SIGTERM or SIGKILL, closing nothing, leaves none of its programs attached
 * to the root cgroup or the tracepoint (the BPF links end with the process), and one started after
 * a SIGKILL attaches only its own.
 */
class ProcessDeathTest {

  @BeforeEach
  void kernel() {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF unavailable: " + reason.orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void noProgramOutlivesTheProcess(boolean kill) throws Exception {
    Holder first = Holder.start();
    assertThat(attachedIds()).containsAll(first.ids);
    first.end(kill);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(attachedIds()).doesNotContainAnyElementsOf(first.ids));
    if (kill) {
      // Restarted after a SIGKILL: its own five programs, none of the dead one's.
      Holder second = Holder.start();
      assertThat(attachedIds()).containsAll(second.ids).doesNotContainAnyElementsOf(first.ids);
      second.end(false);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(attachedIds()).doesNotContainAnyElementsOf(second.ids));
    }
  }

  /** A child JVM holding the programs. */
  private record Holder(Process process, List<Integer> ids) {
    static Holder start() throws Exception {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process child =
          new ProcessBuilder(
                  java.toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-cp",
                  System.getProperty("java.class.path"),
                  FlowHolder.class.getName())
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder said = new StringBuilder();
      String line;
      do {
        line = out.readLine();
        said.append(line).append('\n');
      } while (line != null && !line.startsWith("attached "));
      if (line == null) {
        child.destroyForcibly();
        throw new IllegalStateException("the child did not attach: " + said);
      }
      List<Integer> ids =
          Arrays.stream(line.substring("attached ".length()).split(" "))
              .map(Integer::valueOf)
              .toList();
      assertThat(ids).hasSize(UdpFlowSource.PROGRAMS.size());
      return new Holder(child, ids);
    }

    void end(boolean kill) throws InterruptedException {
      try {
        if (kill) {
          process.destroyForcibly(); // SIGKILL
        } else {
          process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      } finally {
        process.destroyForcibly();
      }
    }
  }

  /**
   * The independent view: the program ids {@code bpftool cgroup show} lists for the root, and those
   * {@code bpftool link show} lists (the tracepoint's link is on no cgroup).
   */
  static List<Integer> attachedIds() throws Exception {
    Path root = Cgroup2.root(Cgroup2.MOUNTINFO);
    List<Integer> ids = new ArrayList<>();
    for (String line : bpftool("cgroup", "show", root.toString()).lines().toList()) {
      String[] fields = line.trim().split("\\s+", -1);
      if (fields.length >= 3 && fields[0].matches("\\d+")) {
        ids.add(Integer.parseInt(fields[0]));
      }
    }
    Matcher prog = Pattern.compile("\\bprog (\\d+)").matcher(bpftool("link", "show"));
    while (prog.find()) {
      ids.add(Integer.parseInt(prog.group(1)));
    }
    return ids;
  }

  private static String bpftool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bpftool"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}

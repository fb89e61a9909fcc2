package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent that dies, by SIGTERM or SIGKILL, without closing anything, leaves no program attached
 * to the root cgroup: the BPF links are file descriptors of the process and end with it.
 */
class ProcessDeathTest {

  @BeforeAll
  static void kernel() {
    KernelTests.assumeBpf();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void noProgramOutlivesTheProcess(boolean kill) throws Exception {
    List<String> before = KernelTests.bpftoolShow();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CaptureHolder.class.getName())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("attached"));
      assertThat(line).as("the child attached").isEqualTo("attached");
      assertThat(KernelTests.bpftoolShow()).containsAll(DnsCapture.PROGRAMS);

      if (kill) {
        child.destroyForcibly(); // SIGKILL
      } else {
        child.destroy(); // SIGTERM
      }
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        KernelTests.bpftoolShow().stream()
                            .filter(n -> n.startsWith(DnsCapture.PROGRAM_PREFIX))
                            .count())
                    .isEqualTo(
                        before.stream()
                            .filter(n -> n.startsWith(DnsCapture.PROGRAM_PREFIX))
                            .count()));
  }
}

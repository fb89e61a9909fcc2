package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the end-to-end tests need from the machine: root and eBPF for the probe, a Docker daemon and
 * the test image for containers. Each check skips the test, saying why, only where the facility is
 * truly absent; on this machine and in CI they are all present and the tests run.
 */
final class Facilities {
  private static final Path SCRIPTS = Path.of(System.getProperty("lanthorn.scripts"));

  private Facilities() {}

  /** The kernel probe can run: Linux, root, BTF, libbpf. */
  static void assumeProbe() {
    require(System.getProperty("os.name").startsWith("Linux"), "needs Linux (eBPF)");
    require(
        "root".equals(System.getProperty("user.name")),
        "the agent's eBPF probe needs root (run the tests as root)");
    require(
        Files.exists(Path.of("/sys/kernel/btf/vmlinux")),
        "the kernel has no BTF (/sys/kernel/btf/vmlinux): the probe cannot load");
    require(
        Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib")
            .anyMatch(dir -> Files.exists(Path.of(dir, "libbpf.so.1"))),
        "libbpf.so.1 is not installed (package libbpf1)");
  }

  /** Docker runs (started with scripts/start-docker.sh if needed) and has the test image. */
  static void assumeDocker() {
    assumeProbe();
    require(
        onPath("docker") && onPath("dockerd") && onPath("containerd"),
        "docker.io is not installed (run scripts/install-deps.sh --with-docker)");
    script("start-docker.sh");
    script("test-image.sh");
  }

  /** Runs a repository script and fails, showing its output, if it fails. */
  static void script(String name) {
    Command.Result result =
        Command.run(Duration.ofMinutes(3), List.of("bash", SCRIPTS.resolve(name).toString()));
    assertThat(result.exit()).as("scripts/%s: %s%s", name, result.out(), result.err()).isZero();
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** Short external commands, their output drained concurrently so none blocks on a pipe. */
  static final class Command {
    private Command() {}

    record Result(int exit, String out, String err) {
      Result orFail(List<String> command) {
        if (exit != 0) {
          throw new IllegalStateException(
              String.join(" ", command) + " exited " + exit + ": " + err.strip());
        }
        return this;
      }
    }

    static Result run(Duration timeout, List<String> command) {
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        CompletableFuture<String> out =
            CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err =
            CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " took longer than " + timeout);
        }
        return new Result(process.exitValue(), out.join(), err.join());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static String read(InputStream in) {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

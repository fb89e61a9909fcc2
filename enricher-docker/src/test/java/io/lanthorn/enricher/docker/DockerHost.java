package io.lanthorn.enricher.docker;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker daemon tests run against, driven through the {@code docker} CLI (independent of
 * the code under test). {@link #ensureRunning()} starts containerd and dockerd with {@code
 * scripts/start-docker.sh} and imports the test image with {@code scripts/test-image.sh}; tests
 * skip, saying why, only where Docker truly cannot run (no root, docker.io not installed).
 */
final class DockerHost {
  /** The busybox image {@code scripts/test-image.sh} builds from Debian's busybox-static. */
  static final String IMAGE = "lanthorn-test:busybox";

  private DockerHost() {}

  /** The command's exit status and output. */
  record Result(int exit, String out, String err) {
    Result orFail(List<String> command) {
      if (exit != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + exit + ": " + err.strip());
      }
      return this;
    }
  }

  /**
   * Skips the test when Docker cannot run here; otherwise makes sure dockerd and the image are up.
   */
  static void ensureRunning() {
    require(System.getProperty("os.name").startsWith("Linux"), "Docker tests need Linux");
    require(
        "root".equals(System.getProperty("user.name")),
        "Docker tests start dockerd and need root (run the tests as root)");
    require(
        onPath("docker") && onPath("dockerd") && onPath("containerd"),
        "docker.io is not installed (run scripts/install-deps.sh --with-docker)");
    script("start-docker.sh");
    script("test-image.sh");
  }

  /**
   * Runs a {@code --rm} container named {@code name} without a network that connects once to its
   * own loopback and exits about 100 ms later, like the short-lived containers users run.
   *
   * @return its id, read from {@code cidFile}
   */
  static String runShortLived(String name, Path cidFile) throws IOException {
    docker(
        "run",
        "--rm",
        "--cidfile",
        cidFile.toString(),
        "--name",
        name,
        "--network",
        "none",
        IMAGE,
        "sh",
        "-c",
        "nc 127.0.0.1 1; sleep 0.1");
    return Files.readString(cidFile).strip();
  }

  /** Runs {@code docker args…} and returns its trimmed output; fails on a non-zero exit. */
  static String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(Duration.ofMinutes(2), command).orFail(command).out().strip();
  }

  /** Runs {@code docker args…} and returns what happened, whatever the exit status. */
  static Result dockerResult(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(Duration.ofMinutes(2), command);
  }

  /** The host pid of a running container's init process. */
  static int pidOf(String container) {
    return Integer.parseInt(docker("inspect", "-f", "{{.State.Pid}}", container));
  }

  /** Whether Docker knows a container (running or not). */
  static boolean exists(String container) {
    return dockerResult("inspect", container).exit() == 0;
  }

  /** Removes containers, ignoring ones already gone. */
  static void removeQuietly(List<String> containers) {
    if (!containers.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("docker", "rm", "-f"));
      command.addAll(containers);
      run(Duration.ofMinutes(1), command);
    }
  }

  /** The API version the daemon speaks. */
  static String daemonApiVersion() {
    return docker("version", "-f", "{{.Server.APIVersion}}");
  }

  /** Stops dockerd (SIGTERM) and waits for it to exit. Containerd keeps running. */
  static void stopDaemon() {
    Optional<ProcessHandle> dockerd = daemonProcess();
    if (dockerd.isEmpty()) {
      return;
    }
    run(Duration.ofSeconds(10), List.of("kill", "-TERM", Long.toString(dockerd.get().pid())));
    await("dockerd to exit")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !dockerd.get().isAlive());
  }

  /** Starts dockerd again (scripts/start-docker.sh, which waits for it to answer). */
  static void startDaemon() {
    script("start-docker.sh");
  }

  static Optional<ProcessHandle> daemonProcess() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
        .findFirst();
  }

  /** Where the repository's scripts are, found upwards from the working directory. */
  static Path scripts() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/start-docker.sh"))) {
        return dir.resolve("scripts");
      }
    }
    throw new IllegalStateException("scripts/start-docker.sh not found above " + Path.of(""));
  }

  private static void script(String name) {
    List<String> command = List.of("bash", scripts().resolve(name).toString());
    Result result = run(Duration.ofMinutes(2), command);
    assertThat(result.exit()).as("%s failed: %s%s", name, result.out(), result.err()).isZero();
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":", -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  static Result run(Duration timeout, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command).redirectInput(new java.io.File("/dev/null")).start();
      // Drain both streams concurrently so a chatty command cannot block on a full pipe.
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout);
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

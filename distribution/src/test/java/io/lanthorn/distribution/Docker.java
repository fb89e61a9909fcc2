package io.lanthorn.distribution;

import static org.awaitility.Awaitility.await;

import io.lanthorn.distribution.Facilities.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The machine's Docker daemon, driven through the {@code docker} CLI (independent of the code under
 * test). Containers a test creates get a unique prefix and are removed by {@link #close()}.
 */
final class Docker implements AutoCloseable {
  /**
   * The busybox image {@code scripts/test-image.sh} imports (sh nc sleep wget cat echo true ls).
   */
  static final String IMAGE = "lanthorn-test:busybox";

  private final String prefix = "lanthorn-e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> created = new ArrayList<>();

  /** A container name unique to this test run. */
  String name(String suffix) {
    String name = prefix + "-" + suffix;
    created.add(name);
    return name;
  }

  /** {@code docker args…}, its trimmed standard output; fails on a non-zero exit. */
  static String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return Command.run(Duration.ofMinutes(2), command).orFail(command).out().strip();
  }

  /** The full id of a container (running or stopped). */
  static String idOf(String container) {
    return docker("inspect", "-f", "{{.Id}}", container);
  }

  /** Standard output and error of a container so far. */
  static String logs(String container) {
    List<String> command = List.of("docker", "logs", container);
    Command.Result result = Command.run(Duration.ofMinutes(1), command);
    return result.out() + result.err();
  }

  /**
   * Restarts dockerd the way an administrator's restart does: SIGTERM, wait until it exited, start
   * it again with {@code scripts/start-docker.sh} (which waits until it answers). Containerd keeps
   * running. The caller must also call {@link #ensureDaemon()} in a {@code finally}, so that
   * dockerd is left running whatever happens.
   */
  static void restartDaemon() {
    Optional<ProcessHandle> dockerd = daemonProcess();
    if (dockerd.isPresent()) {
      Command.run(
          Duration.ofSeconds(10), List.of("kill", "-TERM", Long.toString(dockerd.get().pid())));
      await("dockerd to exit")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !dockerd.get().isAlive());
    }
    ensureDaemon();
  }

  /** Starts dockerd if it is not running (idempotent). */
  static void ensureDaemon() {
    Facilities.script("start-docker.sh");
  }

  private static Optional<ProcessHandle> daemonProcess() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
        .findFirst();
  }

  /** Removes every container this instance named, ignoring ones already gone. */
  @Override
  public void close() {
    if (!created.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("docker", "rm", "-f"));
      command.addAll(created);
      Command.run(Duration.ofMinutes(1), command);
    }
  }
}

package io.lanthorn.probe.dns;

import static io.lanthorn.api.testkit.Requirements.require;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI, for tests that run containers on the host's dockerd. */
final class Docker {
  static final String IMAGE = "lanthorn-test:busybox";

  private Docker() {}

  static void assumeDocker() throws Exception {
    require(
        run(List.of("docker", "image", "inspect", IMAGE)).exit() == 0,
        "dockerd with the image " + IMAGE + " (scripts/start-docker.sh, scripts/test-image.sh)");
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    return new Result(p.exitValue(), out.strip());
  }

  static Result docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    return run(command);
  }

  /** The default bridge's address on the host, which its containers reach. */
  static InetAddress bridgeGateway() throws IOException, InterruptedException {
    String bridge =
        docker(
                "network",
                "inspect",
                "bridge",
                "--format",
                "{{index .Options \"com.docker.network.bridge.name\"}}")
            .output();
    NetworkInterface nic = NetworkInterface.getByName(bridge.isEmpty() ? "docker0" : bridge);
    if (nic == null) {
      throw new IllegalStateException("no interface for the default bridge " + bridge);
    }
    return nic.inetAddresses()
        .filter(a -> a instanceof Inet4Address)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(bridge + " has no IPv4 address"));
  }

  /** The cgroup v2 id of a running container: the inode of its cgroup directory. */
  static long cgroupId(String containerId) throws IOException {
    try (var dirs = Files.walk(KernelTests.cgroupRoot(), 3)) {
      Path dir =
          dirs.filter(d -> d.getFileName().toString().contains(containerId))
              .filter(Files::isDirectory)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no cgroup for " + containerId));
      return (Long) Files.getAttribute(dir, "unix:ino");
    }
  }
}

package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.distribution.Facilities.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Connection attempts made inside containers run with {@code --network none}, to their own loopback
 * (the only traffic the project's network rule allows there), with busybox's {@code nc}.
 * Destination ports are drawn at random per instance and are unique among its attempts; inside a
 * container's own network namespace nothing else uses them.
 */
final class ContainerTraffic {
  /** Where a container's script reports that every attempt was made. */
  private static final String DONE = "lanthorn-e2e-attempts-made";

  private final Docker docker;
  private int nextPort = ThreadLocalRandom.current().nextInt(20_000, 30_000);

  ContainerTraffic(Docker docker) {
    this.docker = docker;
  }

  /**
   * A named, long-lived container that makes four attempts (established and refused, over IPv4 and
   * IPv6), reports it, and keeps running; returns them once made.
   */
  List<Attempt> namedLongLived(String suffix) {
    String name = docker.name(suffix);
    List<Attempt> attempts = new ArrayList<>();
    StringBuilder script = new StringBuilder();
    for (String address : List.of("127.0.0.1", "::1")) {
      String family = address.contains(":") ? "ipv6" : "ipv4";
      int listening = nextPort++;
      String hex = String.format(Locale.ROOT, "%04X", listening);
      // A listener that ends after one connection; the client connects once it listens.
      script
          .append("nc -l -p ")
          .append(listening)
          .append(" </dev/null >/dev/null &\n")
          .append("until case \"$(cat /proc/net/tcp /proc/net/tcp6)\" in *':")
          .append(hex)
          .append(" 00000000:0000 0A'*|*':")
          .append(hex)
          .append(" 00000000000000000000000000000000:0000 0A'*) true;; *) false;; esac;")
          .append(" do sleep 0.02; done\n")
          .append("echo x | nc ")
          .append(address)
          .append(' ')
          .append(listening)
          .append('\n');
      attempts.add(attempt("named container, established", family, address, listening, true));
      int closed = nextPort++;
      script.append("nc ").append(address).append(' ').append(closed).append('\n');
      attempts.add(attempt("named container, refused", family, address, closed, false));
    }
    script.append("echo ").append(DONE).append("\nexec sleep 600\n");
    Docker.docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "none",
        // Docker turns IPv6 off in a container's namespace unless asked; ::1 needs it on.
        "--sysctl",
        "net.ipv6.conf.all.disable_ipv6=0",
        "--sysctl",
        "net.ipv6.conf.lo.disable_ipv6=0",
        Docker.IMAGE,
        "sh",
        "-c",
        script.toString());
    await(name + " to make its attempts")
        .atMost(Agent.PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Docker.logs(name).contains(DONE));
    String id = Docker.idOf(name);
    return attempts.stream().map(a -> a.inContainer(name, id)).toList();
  }

  /**
   * A {@code --rm} container whose only process is one refused {@code nc}: it lives for a few
   * milliseconds and is gone, removed, before the agent can ask Docker about it. Returns once
   * {@code docker run} returned.
   */
  Attempt shortLived(String suffix, Path scratch) throws Exception {
    String name = docker.name(suffix);
    int port = nextPort++;
    Path cidFile = scratch.resolve(name + ".cid");
    List<String> command =
        List.of(
            "docker",
            "run",
            "--rm",
            "--name",
            name,
            "--cidfile",
            cidFile.toString(),
            "--network",
            "none",
            Docker.IMAGE,
            "nc",
            "127.0.0.1",
            Integer.toString(port));
    long since = System.currentTimeMillis() / 1000 - 1;
    Command.Result result = Command.run(Duration.ofMinutes(2), command);
    // nc exits 1 when refused, and docker run with it.
    assertThat(result.err()).as("docker run --rm").contains("Connection refused");
    String id = Files.readString(cidFile).strip();
    System.out.printf(
        Locale.ROOT, "%s lived %d ms (start to die)%n", name, lifetimeMillis(id, since));
    return attempt("--rm container, refused", "ipv4", "127.0.0.1", port, false)
        .inContainer(name, id);
  }

  /** From Docker's start and die events of a container that has ended. */
  private static long lifetimeMillis(String id, long sinceSeconds) {
    String until = String.format(Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0);
    String events =
        Docker.docker(
            "events",
            "--since",
            Long.toString(sinceSeconds),
            "--until",
            until,
            "--filter",
            "container=" + id,
            "--filter",
            "event=start",
            "--filter",
            "event=die",
            "--format",
            "{{.Action}} {{.TimeNano}}");
    long start = 0;
    long die = 0;
    for (String line : events.lines().toList()) {
      if (line.startsWith("start ")) {
        start = Long.parseLong(line.substring("start ".length()).strip());
      } else if (line.startsWith("die ")) {
        die = Long.parseLong(line.substring("die ".length()).strip());
      }
    }
    assertThat(start).as("start and die events of %s: %s", id, events).isPositive();
    assertThat(die).as("start and die events of %s: %s", id, events).isGreaterThan(start);
    return (die - start) / 1_000_000;
  }

  private static Attempt attempt(
      String what, String family, String address, int port, boolean established) {
    return new Attempt(
        what,
        family,
        address,
        port,
        established ? Attempt.ESTABLISHED : Attempt.REFUSED,
        0,
        "nc",
        null,
        null);
  }
}

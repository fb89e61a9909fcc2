package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many hosts, one view, with the shipped agent: two agents on this machine ({@code --host-name a}
 * without container names, {@code --host-name b} with them) send through sink-kafka to a real
 * broker (scripts/kafka.sh on free loopback ports); a central agent with source-kafka and
 * sink-sqlite ({@code --disable-tcp-mon --disable-docker-mon}) holds both hosts' events, each
 * exactly once per host, with b's container names: connection attempts, the accept of the
 * established one with both rows closed, and UDP datagrams.
 */
class FleetIT {
  private static final Path SCRIPTS = Path.of(System.getProperty("lanthorn.scripts"));
  private static final String TOPIC = "fleet.it";

  @TempDir Path work;

  @Test
  void twoAgentsAndACentralOneHoldEveryHostsEventsOnce() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("busybox"), "busybox is not installed");
    int port;
    int controllerPort;
    try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = a.getLocalPort();
      controllerPort = b.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + port;
    require(
        kafka("start", port, controllerPort),
        () -> "a Kafka broker from scripts/kafka.sh: see " + work.resolve("kafka.sh.out"));
    Path central = work.resolve("central.db");
    try (Docker docker = new Docker();
        HostTraffic host = new HostTraffic();
        Agent collector =
            Agent.of(Installation.shipped())
                .logsIn(work.resolve("central"))
                .env("CONFIG_FORCE_source__kafka_enabled", "true")
                .env("CONFIG_FORCE_source__kafka_bootstrap__servers", bootstrap)
                .env("CONFIG_FORCE_source__kafka_topic", TOPIC)
                .start(
                    "run",
                    "--disable-tcp-mon",
                    "--disable-dns-mon",
                    "--disable-udp-mon",
                    "--disable-docker-mon",
                    "--db-path",
                    central.toString());
        Agent a = hostAgent("a", bootstrap, "--disable-docker-mon");
        Agent b = hostAgent("b", bootstrap)) {
      collector.awaitRunning();
      a.awaitRunning();
      b.awaitRunning().awaitLog(Mission.DOCKER_CONNECTED);
      assertThat(collector.stderr()).contains("sources [source-kafka]");

      List<Attempt> attempts = new ArrayList<>();
      attempts.add(host.refused(HostTraffic.V4));
      attempts.add(host.established(HostTraffic.V4));
      int servicePort = acceptedAndClosed(host);
      int udpPort = sendDatagrams(3);
      attempts.addAll(new ContainerTraffic(docker).namedLongLived("fleet"));
      Mission.awaitStored(central, attempts);
      for (Attempt attempt : attempts) {
        await(central, attempt, "a");
        await(central, attempt, "b");
      }

      for (Attempt attempt : attempts) {
        for (String name : List.of("a", "b")) {
          assertThat(rows(central, attempt, name, ""))
              .as("%s from host %s, stored once", attempt, name)
              .isEqualTo(1);
        }
        if (attempt.container() != null) {
          assertThat(
                  rows(
                      central, attempt, "b", " AND container_name = '" + attempt.container() + "'"))
              .as("b names the container of %s", attempt)
              .isEqualTo(1);
        }
      }
      // The other kinds, from each host once: a connection both ends of which are on this machine
      // (its tcp_connect and its tcp_accept, both closed with their duration and bytes) and the
      // test's datagrams.
      for (String name : List.of("a", "b")) {
        awaitNumber(
            central,
            "SELECT count(*) FROM events WHERE event_type = 'tcp_accept' AND dst_port = ?"
                + " AND host_name = ? AND closed = 1 AND duration_ns IS NOT NULL"
                + " AND bytes_received IS NOT NULL",
            servicePort,
            name,
            1);
        awaitNumber(
            central,
            "SELECT count(*) FROM events WHERE event_type = 'tcp_connect' AND dst_port = ?"
                + " AND host_name = ? AND closed = 1 AND duration_ns IS NOT NULL"
                + " AND bytes_sent IS NOT NULL",
            servicePort,
            name,
            1);
        awaitNumber(
            central,
            "SELECT coalesce(sum(datagrams), 0) FROM events WHERE event_type = 'udp_send'"
                + " AND dst_port = ? AND host_name = ?",
            udpPort,
            name,
            3);
      }
      assertThat(
              EventsDb.number(
                  central,
                  "SELECT count(*) - count(DISTINCT event_uid) FROM event_rows"
                      + " WHERE event_uid IS NOT NULL"))
          .as("no event stored twice")
          .isZero();
      assertThat(a.stop()).as(a.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      assertThat(b.stop()).as(b.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      assertThat(collector.stop()).as(collector.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
    } finally {
      kafka("stop", port, controllerPort);
    }
  }

  private Agent hostAgent(String name, String bootstrap, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--host-name", name, "--disable-dns-mon"));
    args.addAll(List.of(more));
    args.addAll(List.of("--db-path", work.resolve(name + ".db").toString()));
    return Agent.of(Installation.shipped())
        .logsIn(work.resolve(name))
        .env("CONFIG_FORCE_sink__kafka_enabled", "true")
        .env("CONFIG_FORCE_sink__kafka_bootstrap__servers", bootstrap)
        .env("CONFIG_FORCE_sink__kafka_topic", TOPIC)
        .env("CONFIG_FORCE_sink__kafka_spool_path", work.resolve("spool-" + name).toString())
        .start(args.toArray(String[]::new));
  }

  /** Waits until the query says {@code expected}, then checks it stays so (no late duplicate). */
  private static void awaitNumber(Path db, String sql, int port, String host, long expected) {
    org.awaitility.Awaitility.await(sql + " for " + host + " port " + port)
        .atMost(Mission.BACKLOG_PATIENCE)
        .until(() -> EventsDb.number(db, sql, port, host) >= expected);
    assertThat(EventsDb.number(db, sql, port, host)).as(sql + " for " + host).isEqualTo(expected);
  }

  /**
   * A connection to a listener that accepts and closes; the client reads until the listener's end
   * is closed, then closes its own: both ends' closes are recorded. Returns the service's port.
   */
  private static int acceptedAndClosed(HostTraffic host) throws IOException {
    ServerSocket listener = host.listener(HostTraffic.V4, true);
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(HostTraffic.V4, listener.getLocalPort()), 10_000);
      assertThat(client.getInputStream().read()).as("closed by the listener").isEqualTo(-1);
    }
    return listener.getLocalPort();
  }

  /** Sends {@code count} datagrams over loopback to a port this test holds; returns the port. */
  private int sendDatagrams(int count) throws IOException {
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] payload = "fleet".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < count; i++) {
        sender.send(new DatagramPacket(payload, payload.length, receiver.getLocalSocketAddress()));
      }
      return receiver.getLocalPort();
    }
  }

  /** The attempt's tcp_connect rows from {@code host}: its accept shares the port. */
  private static long rows(Path db, Attempt attempt, String host, String more) {
    return EventsDb.number(
        db,
        "SELECT count(*) FROM events WHERE event_type = 'tcp_connect' AND dst_port = ?"
            + " AND host_name = ?"
            + more,
        attempt.dstPort(),
        host);
  }

  private static void await(Path db, Attempt attempt, String host) {
    org.awaitility.Awaitility.await(attempt + " from " + host)
        .atMost(Mission.BACKLOG_PATIENCE)
        .until(() -> rows(db, attempt, host, "") > 0);
  }

  private boolean kafka(String command, int port, int controllerPort) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(List.of("bash", SCRIPTS.resolve("kafka.sh").toString(), command))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(work.resolve("kafka.sh.out").toFile()));
    builder.environment().put("LANTHORN_KAFKA_PORT", Integer.toString(port));
    builder.environment().put("LANTHORN_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
    builder.environment().put("LANTHORN_KAFKA_DIR", work.resolve("kafka").toString());
    builder.environment().put("LANTHORN_KAFKA_HEAP", "384m");
    Process process = builder.start();
    if (!process.waitFor(240, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }
}

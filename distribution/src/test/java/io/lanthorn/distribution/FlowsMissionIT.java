package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 as a user runs it: the shipped agent records a container's listener accepting a
 * connection from the host (tcp_accept, named after the container, beside the host's tcp_connect
 * with the same four values), both rows updated with duration and bytes when the connection closes,
 * and a container's UDP datagrams to three destinations (udp_send).
 */
class FlowsMissionIT {
  @TempDir Path work;

  @Test
  void acceptsLifetimesAndUdpOfContainersReachTheDatabase() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("cc"), "a C compiler (cc) for the test's UDP sender");
    Path sender = work.resolve("udpsend");
    Facilities.Command.run(
            Duration.ofMinutes(1),
            List.of(
                "cc",
                "-static",
                "-O2",
                "-o",
                sender.toString(),
                Path.of("../probe-udp/src/test/c/udpsend.c").toString()))
        .orFail(List.of("cc"));
    Path db = work.resolve("data/lanthorn.db");
    try (Docker docker = new Docker();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                .env("CONFIG_FORCE_probe__udp_interval", "200ms")
                .start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      assertThat(agent.stderr()).contains("counting UDP datagrams");

      String listener = docker.name("listener");
      Docker.docker("run", "-d", "--name", listener, Docker.IMAGE, "nc", "-l", "-p", "8080");
      InetAddress address =
          InetAddress.ofLiteral(
              Docker.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", listener));
      int clientPort;
      try (Socket client = connectWhenListening(new InetSocketAddress(address, 8080))) {
        clientPort = client.getLocalPort();
        OutputStream out = client.getOutputStream();
        out.write(new byte[10_000]);
        out.flush();
      }
      String udp = docker.name("udp");
      Docker.docker(
          "run",
          "--name",
          udp,
          "--network",
          "none",
          "-v",
          sender + ":/udpsend:ro",
          Docker.IMAGE,
          "/udpsend",
          "1000",
          "9001",
          "9002",
          "9003");

      await()
          .atMost(Mission.BACKLOG_PATIENCE)
          .until(
              () ->
                  EventsDb.number(
                              db,
                              "SELECT count(*) FROM events WHERE src_port = ? AND dst_port = 8080"
                                  + " AND closed = 1",
                              clientPort)
                          == 2
                      && EventsDb.number(
                              db,
                              "SELECT coalesce(sum(datagrams), 0) FROM events"
                                  + " WHERE event_type = 'udp_send' AND container_name = ?",
                              udp)
                          == 3000);
      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);

      // The accepted connection: the container's, its service port in dst_port, nc listening;
      // the host's connection with the same four values. Bytes from each end's view (the FIN
      // may count as one).
      String host = bridgeSide(db, clientPort);
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT event_type || ' ' || direction || ' ' || coalesce(container_name, '-')"
                      + " || ' ' || src_addr || ' ' || dst_addr || ' ' || (duration_ns > 0)"
                      + " FROM events WHERE src_port = ? AND dst_port = 8080 ORDER BY event_type",
                  clientPort))
          .containsExactly(
              "tcp_accept inbound " + listener + " " + host + " " + address.getHostAddress() + " 1",
              "tcp_connect outbound - " + host + " " + address.getHostAddress() + " 1");
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT process_name FROM events WHERE event_type = 'tcp_accept' AND src_port = ?"
                      // Other loopback traffic on the host may reuse the client's port.
                      + " AND dst_port = 8080",
                  clientPort))
          .containsExactly("nc");
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT event_type || ' ' || (bytes_sent BETWEEN 0 AND 300) || ' '"
                      + " || (bytes_received BETWEEN 0 AND 300) || ' '"
                      + " || (bytes_sent BETWEEN 10000 AND 10300) || ' '"
                      + " || (bytes_received BETWEEN 10000 AND 10300) || ' ' || bytes_sent || ' '"
                      + " || bytes_received FROM events WHERE src_port = ? AND dst_port = 8080"
                      + " ORDER BY event_type",
                  clientPort))
          .satisfiesExactly(
              accept ->
                  assertThat(accept).as("accept: sent, received").startsWith("tcp_accept 1 0 0 1 "),
              connect ->
                  assertThat(connect)
                      .as("connect: sent, received")
                      .startsWith("tcp_connect 0 1 1 0 "));
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT dst_port || '=' || sum(datagrams) || ' ' || sum(bytes_sent) FROM events"
                      + " WHERE event_type = 'udp_send' AND container_name = ? GROUP BY dst_port"
                      + " ORDER BY dst_port",
                  udp))
          .as("datagrams and bytes (1 each) per port")
          .containsExactly("9001=1000 1000", "9002=1000 1000", "9003=1000 1000");
    }
  }

  /** The host's address on the container's bridge, as stored for the connection. */
  private static String bridgeSide(Path db, int clientPort) {
    return EventsDb.texts(
            db,
            // dst_port too: another process's loopback connection may use the same local port.
            "SELECT src_addr FROM events WHERE event_type = 'tcp_connect' AND src_port = ?"
                + " AND dst_port = 8080",
            clientPort)
        .getFirst();
  }

  private static Socket connectWhenListening(InetSocketAddress target) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(target, 2_000);
        return socket;
      } catch (java.io.IOException e) {
        socket.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}

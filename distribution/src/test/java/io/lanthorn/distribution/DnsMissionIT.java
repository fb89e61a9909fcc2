package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS names, as a user runs the agent: the shipped distribution with probe-dns, a dnsmasq run by
 * the test on the Docker bridge (answering only *.lanthorn.test, asking no one), containers on the
 * default bridge with {@code --dns} pointing at it, and the test itself as a host process. Each
 * stored connection carries the name its own process resolved.
 */
class DnsMissionIT {
  private static final String DOMAIN_SQL = "domain_name";

  @TempDir Path work;

  @Test
  void everyConnectionCarriesTheNameItsOwnContainerResolved() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("dnsmasq"), "dnsmasq (scripts/install-deps.sh --with-docker)");
    InetAddress gateway = bridgeGateway();
    Path db = work.resolve("data/lanthorn.db");

    try (ServerSocket listener = new ServerSocket(0, 200, gateway);
        Acceptor acceptor = new Acceptor(listener);
        Dnsmasq dns =
            Dnsmasq.start(
                work,
                gateway,
                "--address=/one.lanthorn.test/" + gateway.getHostAddress(),
                "--address=/two.lanthorn.test/" + gateway.getHostAddress(),
                "--address=/api.lanthorn.test/" + gateway.getHostAddress(),
                "--address=/v6.lanthorn.test/::1");
        ServerSocket v6 = new ServerSocket(0, 50, InetAddress.ofLiteral("::1"));
        Acceptor v6Acceptor = new Acceptor(v6);
        Docker docker = new Docker();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                .start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      assertThat(agent.stderr()).contains("capturing DNS responses on cgroup");
      int port = listener.getLocalPort();

      // Two containers resolve two names to one address, then connect to it.
      String one = docker.name("dns-one");
      String two = docker.name("dns-two");
      for (String[] c : List.of(new String[] {one, "one"}, new String[] {two, "two"})) {
        Docker.docker(
            "run",
            "--name",
            c[0],
            "--dns",
            gateway.getHostAddress(),
            Docker.IMAGE,
            "sh",
            "-c",
            resolveAndConnect(c[1] + ".lanthorn.test", gateway, port));
      }
      // A container gone within milliseconds.
      String brief = docker.name("dns-brief");
      Docker.docker(
          "run",
          "--rm",
          "--name",
          brief,
          "--dns",
          gateway.getHostAddress(),
          Docker.IMAGE,
          "sh",
          "-c",
          resolveAndConnect("api.lanthorn.test", gateway, port));
      // This process, over IPv6.
      dns.ask("v6.lanthorn.test", 28);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.ofLiteral("::1"), v6.getLocalPort()), 2000);
      }

      await()
          .atMost(Mission.BACKLOG_PATIENCE)
          .until(
              () ->
                  EventsDb.number(
                          db,
                          "SELECT count(*) FROM events WHERE (dst_port = ? OR dst_port = ?) AND "
                              + DOMAIN_SQL
                              + " IS NOT NULL",
                          port,
                          v6.getLocalPort())
                      >= 4);
      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      // The final status line carries the plugin's own counters: at least the 4 names above.
      assertThat(agent.finalStatus().line())
          .containsPattern("\\| probe-dns responses=[1-9]\\d* malformed=0 unknown_owner=\\d+")
          .containsPattern(" named=([4-9]|\\d\\d+) unnamed=\\d+");

      assertThat(domainOf(db, "container_name = ? AND dst_port = ?", one, port))
          .containsExactly("one.lanthorn.test");
      assertThat(domainOf(db, "container_name = ? AND dst_port = ?", two, port))
          .containsExactly("two.lanthorn.test");
      assertThat(domainOf(db, "container_name = ? AND dst_port = ?", brief, port))
          .containsExactly("api.lanthorn.test");
      assertThat(
              domainOf(
                  db, "pid = ? AND dst_port = ?", ProcessHandle.current().pid(), v6.getLocalPort()))
          .containsExactly("v6.lanthorn.test");
      // The answers themselves, each under the cgroup of the container that asked.
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT domain || ' ' || query_type || ' ' || response_code || ' ' || resolved_ip"
                      + " FROM dns_events WHERE cgroup_id ="
                      + " (SELECT cgroup_id FROM events WHERE container_name = ? LIMIT 1)",
                  one))
          .containsExactly("one.lanthorn.test A NOERROR " + gateway.getHostAddress());
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT domain FROM dns_events WHERE cgroup_id ="
                      + " (SELECT cgroup_id FROM events WHERE container_name = ? LIMIT 1)",
                  brief))
          .containsExactly("api.lanthorn.test");
      // Named by the Docker enricher like the connections, also the --rm container's answer.
      for (String container : List.of(one, brief)) {
        assertThat(
                EventsDb.texts(
                    db,
                    "SELECT DISTINCT container_name FROM dns_events WHERE cgroup_id ="
                        + " (SELECT cgroup_id FROM events WHERE container_name = ? LIMIT 1)",
                    container))
            .as("dns_events.container_name of %s's answers", container)
            .containsExactly(container);
      }
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT resolved_ip FROM dns_events WHERE pid = ? AND domain = ?",
                  ProcessHandle.current().pid(),
                  "v6.lanthorn.test"))
          .containsExactly("::1");
    }
  }

  private static String resolveAndConnect(String name, InetAddress address, int port) {
    return "busybox nslookup -type=A "
        + name
        + " >/dev/null && echo hi | nc -w 2 "
        + address.getHostAddress()
        + " "
        + port;
  }

  private static List<String> domainOf(Path db, String where, Object... args) {
    // Outbound rows: a listener of this JVM also owns a tcp_accept row for the same connection.
    return EventsDb.texts(
        db,
        "SELECT "
            + DOMAIN_SQL
            + " FROM events WHERE event_type = 'tcp_connect' AND ("
            + where
            + ")",
        args);
  }

  static InetAddress bridgeGateway() throws IOException {
    String bridge =
        Docker.docker(
            "network",
            "inspect",
            "bridge",
            "--format",
            "{{index .Options \"com.docker.network.bridge.name\"}}");
    NetworkInterface nic = NetworkInterface.getByName(bridge.isEmpty() ? "docker0" : bridge);
    return nic.inetAddresses()
        .filter(a -> a instanceof Inet4Address)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(bridge + " has no IPv4 address"));
  }

  /** Accepts and closes connections until closed. */
  static final class Acceptor implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Thread thread;

    Acceptor(ServerSocket socket) {
      this.socket = socket;
      this.thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (open.get()) {
                      try (Socket s = socket.accept()) {
                        s.getInputStream().readNBytes(2);
                      } catch (IOException e) {
                        // closed, or the peer went away
                      }
                    }
                  });
    }

    @Override
    public void close() throws Exception {
      open.set(false);
      socket.close();
      thread.join();
    }
  }

  /** dnsmasq answering only what it is told, on the test's address, port 53. */
  static final class Dnsmasq implements AutoCloseable {
    private final Process process;
    private final InetAddress address;

    private Dnsmasq(Process process, InetAddress address) {
      this.process = process;
      this.address = address;
    }

    static Dnsmasq start(Path work, InetAddress listen, String... answers) throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "dnsmasq",
                  "--no-daemon",
                  "--no-resolv",
                  "--no-hosts",
                  "--no-poll",
                  "--bind-interfaces",
                  "--cache-size=0",
                  "--port=53",
                  "--listen-address=" + listen.getHostAddress()));
      command.addAll(List.of(answers));
      Path log = Files.createDirectories(work.resolve("dnsmasq")).resolve("log.txt");
      Dnsmasq dns =
          new Dnsmasq(
              new ProcessBuilder(command)
                  .redirectErrorStream(true)
                  .redirectOutput(log.toFile())
                  .start(),
              listen);
      await("dnsmasq to answer")
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> dns.ask("api.lanthorn.test", 1));
      return dns;
    }

    /** Asks from this process; whether an answer came. */
    boolean ask(String name, int type) throws IOException {
      byte[] query = query(name, type);
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setSoTimeout(500);
        socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(address, 53)));
        socket.receive(new DatagramPacket(new byte[1500], 1500));
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      }
    }

    private static byte[] query(String name, int type) {
      List<Byte> bytes = new ArrayList<>();
      for (int b : new int[] {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}) {
        bytes.add((byte) b);
      }
      for (String label : name.split("\\.", -1)) {
        bytes.add((byte) label.length());
        for (byte c : label.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
          bytes.add(c);
        }
      }
      for (int b : new int[] {0, 0, type, 0, 1}) {
        bytes.add((byte) b);
      }
      byte[] out = new byte[bytes.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = bytes.get(i);
      }
      return out;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }
}

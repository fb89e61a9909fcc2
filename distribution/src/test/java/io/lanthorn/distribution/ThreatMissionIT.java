package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat feeds as a user runs them: the shipped agent with enricher-threat reading the test's own
 * feed files (nothing fetched from anywhere), a dnsmasq of the test's on the Docker bridge, and
 * containers and this process connecting to listed addresses and resolving listed names.
 */
class ThreatMissionIT {
  private static final String INDICATOR_SQL =
      "json_extract(attributes, '$.\"lanthorn.threat.indicator\"')";

  @TempDir Path work;

  @Test
  void listedAddressesAndNamesAreFlaggedWithTheirFeedAndTheAllowlistWins() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("dnsmasq"), "dnsmasq is not installed (dnsmasq-base)");
    InetAddress gateway = DnsMissionIT.bridgeGateway();
    InetAddress listedLoopback = InetAddress.ofLiteral("127.0.0.77");
    Path db = work.resolve("data/lanthorn.db");
    Path ips = Files.writeString(work.resolve("ips.txt"), "; test feed\n127.0.0.77\n");
    Path names =
        Files.writeString(
            work.resolve("names.txt"), "# test feed\nc2.threat.test\nallowed.threat.test\n");
    Path config =
        Files.writeString(
            work.resolve("lanthorn.conf"),
            "enricher-threat {\n"
                + "  feeds = [\n"
                + "    { name = \"local\", url = \""
                + ips.toUri()
                + "\", format = \"ip\" }\n"
                + "    { name = \"names\", url = \""
                + names.toUri()
                + "\", format = \"domain\" }\n"
                + "  ]\n"
                + "  allowlist = [ \"allowed.threat.test\" ]\n"
                + "  cache-dir = \""
                + work.resolve("feeds")
                + "\"\n"
                + "}\n");

    try (ServerSocket listener = new ServerSocket(0, 50, gateway);
        DnsMissionIT.Acceptor acceptor = new DnsMissionIT.Acceptor(listener);
        ServerSocket loopback = new ServerSocket(0, 50, listedLoopback);
        DnsMissionIT.Acceptor loopbackAcceptor = new DnsMissionIT.Acceptor(loopback);
        DnsMissionIT.Dnsmasq dns =
            DnsMissionIT.Dnsmasq.start(
                work,
                gateway,
                "--address=/c2.threat.test/" + gateway.getHostAddress(),
                "--address=/allowed.threat.test/" + gateway.getHostAddress(),
                "--address=/api.lanthorn.test/" + gateway.getHostAddress());
        Docker docker = new Docker();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                .start("run", "--config", config.toString(), "--db-path", db.toString())) {
      agent.awaitRunning();
      await().atMost(Agent.PATIENCE).until(() -> Files.exists(work.resolve("feeds/names.status")));
      int port = listener.getLocalPort();

      String flagged = docker.name("threat-c2");
      String allowed = docker.name("threat-allowed");
      for (String[] c :
          new String[][] {{flagged, "c2.threat.test"}, {allowed, "allowed.threat.test"}}) {
        Docker.docker(
            "run",
            "--name",
            c[0],
            "--dns",
            gateway.getHostAddress(),
            Docker.IMAGE,
            "sh",
            "-c",
            "busybox nslookup -type=A "
                + c[1]
                + " >/dev/null && echo hi | nc -w 2 "
                + gateway.getHostAddress()
                + " "
                + port);
      }
      // This process, to a listed loopback address.
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(listedLoopback, loopback.getLocalPort()), 2000);
      }

      await()
          .atMost(Mission.BACKLOG_PATIENCE)
          .until(
              () ->
                  EventsDb.number(
                          db,
                          "SELECT count(*) FROM events WHERE is_threat IS NOT NULL AND (dst_port = ?"
                              + " OR dst_port = ?)",
                          port,
                          loopback.getLocalPort())
                      >= 3);
      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);

      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT is_threat || ' ' || threat_source || ' ' || "
                      + INDICATOR_SQL
                      + " FROM events WHERE container_name = ? AND dst_port = ?",
                  flagged,
                  port))
          .as(
              "rows of %s: %s; agent log: %s",
              flagged,
              EventsDb.texts(
                  db,
                  "SELECT coalesce(is_threat, 'null') || ' ' || coalesce(domain_name, 'no domain')"
                      + " || ' ' || dst_addr || ':' || dst_port FROM events WHERE container_name = ?",
                  flagged),
              agent.stderr())
          .containsExactly("1 names c2.threat.test");
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT is_threat || ' ' || threat_source || ' ' || threat_indicator"
                      + " FROM dns_events WHERE domain = ? AND cgroup_id ="
                      + " (SELECT cgroup_id FROM events WHERE container_name = ? LIMIT 1)",
                  "c2.threat.test",
                  flagged))
          .containsExactly("1 names c2.threat.test");
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT is_threat FROM events WHERE container_name = ? AND dst_port = ?",
                  allowed,
                  port))
          .containsExactly("0");
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT is_threat FROM dns_events WHERE domain = ? AND cgroup_id ="
                      + " (SELECT cgroup_id FROM events WHERE container_name = ? LIMIT 1)",
                  "allowed.threat.test",
                  allowed))
          .containsExactly("0");
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT is_threat || ' ' || threat_source || ' ' || "
                      + INDICATOR_SQL
                      // The outbound row: this JVM also listens, so it owns the tcp_accept row.
                      + " FROM events WHERE event_type = 'tcp_connect' AND pid = ? AND dst_port = ?",
                  ProcessHandle.current().pid(),
                  loopback.getLocalPort()))
          .containsExactly("1 local 127.0.0.77");
      // The feeds are in the file too (the plugin reports them, the sink keeps them): upstream's
      // join from an event to the feed entry that listed it.
      assertThat(
              EventsDb.texts(
                  db,
                  "SELECT DISTINCT threat_ip_feed.source || ' ' || threat_ip_feed.ip FROM events"
                      + " JOIN threat_ip_feed ON threat_ip_feed.ip = events.dst_addr"
                      + " WHERE events.pid = ?",
                  ProcessHandle.current().pid()))
          .containsExactly("local 127.0.0.77");
      assertThat(
              EventsDb.texts(
                  db, "SELECT feed || ' ' || entries FROM threat_feeds_view ORDER BY feed"))
          .hasSize(2)
          .allMatch(line -> !line.endsWith(" 0"));
      // One warning per (container or process, indicator), naming the feed.
      assertThat(agent.stderrLines())
          .filteredOn(line -> line.contains("threat: container " + flagged))
          .singleElement()
          .satisfies(line -> assertThat(line).contains("c2.threat.test", "by feed names"));

      Agent threats =
          Agent.of(Installation.shipped())
              .logsIn(work.resolve("query"))
              .run("query", "threats", "--db-path", db.toString(), "--since", "1h");
      assertThat(threats.stdout()).contains(flagged, "c2.threat.test", "127.0.0.77", "local");
    }
  }
}

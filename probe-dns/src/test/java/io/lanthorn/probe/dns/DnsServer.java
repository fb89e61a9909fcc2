package io.lanthorn.probe.dns;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A dnsmasq run by a test, answering only for the names it is given and asking no one else
 * (--no-resolv, no upstream): listens on the test's own address, port 53.
 */
final class DnsServer implements AutoCloseable {
  private final Process process;
  private final InetAddress address;
  private final Path log;

  private DnsServer(Process process, InetAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /**
   * @param listen the address to listen on (a loopback address or one the test owns)
   * @param answers domain → address it and its subdomains resolve to (several per domain allowed,
   *     one per family)
   */
  static DnsServer start(InetAddress listen, Map<String, List<String>> answers) throws IOException {
    Path log = Files.createTempFile("lanthorn-dnsmasq", ".log");
    List<String> command = new ArrayList<>();
    command.addAll(
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
    answers.forEach(
        (domain, addresses) ->
            addresses.forEach(a -> command.add("--address=/" + domain + "/" + a)));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    DnsServer server = new DnsServer(process, listen, log);
    try {
      String probe = answers.keySet().iterator().next();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> server.ask(probe, DnsMessage.TYPE_A, Duration.ofMillis(200)) != null);
    } catch (RuntimeException e) {
      String output = Files.readString(log);
      server.close();
      throw new IllegalStateException("dnsmasq did not answer: " + output, e);
    }
    return server;
  }

  InetAddress address() {
    return address;
  }

  /** Asks the server from this process; the response bytes, or null on time-out. */
  byte[] ask(String name, int type, Duration timeout) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("dnsmasq exited: " + Files.readString(log));
    }
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout((int) timeout.toMillis());
      byte[] query = DnsPackets.query(0x4242, name, type);
      socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(address, 53)));
      DatagramPacket response = new DatagramPacket(new byte[1500], 1500);
      socket.receive(response);
      byte[] bytes = new byte[response.getLength()];
      System.arraycopy(response.getData(), 0, bytes, 0, bytes.length);
      return bytes;
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(log);
  }
}

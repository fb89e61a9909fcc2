package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Connection attempts from host processes to loopback ports this test owns: from a thread of the
 * test's JVM with a known name (its comm) and from a separate {@code busybox nc} process. An
 * established attempt gets its own listener; a refused one a port held by a bound socket that does
 * not listen, so no one else can take it. Everything is released by {@link #close()}.
 */
final class HostTraffic implements AutoCloseable {
  /** The name of the connecting thread, which the kernel reports as its comm. */
  static final String COMM = "e2e-connect";

  static final InetAddress V4 = address("127.0.0.1");
  static final InetAddress V6 = address("::1");

  private final long pid = ProcessHandle.current().pid();
  private final ExecutorService connector =
      Executors.newSingleThreadExecutor(task -> new Thread(task, COMM));
  private final List<Closeable> held = new ArrayList<>();

  /** From the test's thread {@value #COMM}: a completed handshake with a new listener. */
  Attempt established(InetAddress to) throws Exception {
    int port = listener(to, false).getLocalPort();
    onConnector(
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(to, port), 10_000);
          }
        });
    return new Attempt(
        "host thread, established",
        family(to),
        stored(to),
        port,
        Attempt.ESTABLISHED,
        pid,
        COMM,
        null,
        null);
  }

  /** From the test's thread {@value #COMM}: a port that answers with a reset. */
  Attempt refused(InetAddress to) throws Exception {
    int port = closedPort(to);
    onConnector(
        () ->
            assertThatThrownBy(
                    () -> {
                      try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(to, port), 10_000);
                      }
                    })
                .isInstanceOf(ConnectException.class));
    return new Attempt(
        "host thread, refused",
        family(to),
        stored(to),
        port,
        Attempt.REFUSED,
        pid,
        COMM,
        null,
        null);
  }

  /**
   * From a separate process, {@code busybox nc}: established (the listener accepts and closes, so
   * nc ends) or refused.
   */
  Attempt fromProcess(InetAddress to, boolean established) throws Exception {
    int port = established ? listener(to, true).getLocalPort() : closedPort(to);
    Process nc =
        new ProcessBuilder("busybox", "nc", stored(to), Integer.toString(port))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(nc.waitFor(30, TimeUnit.SECONDS)).as("busybox nc ends").isTrue();
    return new Attempt(
        "host process busybox nc, " + (established ? "established" : "refused"),
        family(to),
        stored(to),
        port,
        established ? Attempt.ESTABLISHED : Attempt.REFUSED,
        nc.pid(),
        "busybox",
        null,
        null);
  }

  /** A port on {@code to} nothing listens on, held by this object until closed. */
  int closedPort(InetAddress to) throws IOException {
    Socket holder = new Socket();
    held.add(holder);
    holder.bind(new InetSocketAddress(to, 0));
    return holder.getLocalPort();
  }

  /** A listener on {@code to}, optionally accepting and closing connections. */
  ServerSocket listener(InetAddress to, boolean acceptAndClose) throws IOException {
    ServerSocket listener = new ServerSocket(0, 1024, to);
    held.add(listener);
    if (acceptAndClose) {
      acceptAndClose(listener);
    }
    return listener;
  }

  /** Accepts and closes every connection to {@code listener} until it is closed. */
  static void acceptAndClose(ServerSocket listener) {
    Thread.ofVirtual()
        .start(
            () -> {
              while (!listener.isClosed()) {
                try {
                  listener.accept().close();
                } catch (IOException closed) {
                  return;
                }
              }
            });
  }

  /** How the agent stores an address: IPv6 in its canonical short form. */
  static String stored(InetAddress address) {
    return address instanceof Inet6Address ? "::1" : address.getHostAddress();
  }

  static String family(InetAddress address) {
    return address instanceof Inet6Address ? "ipv6" : "ipv4";
  }

  private interface Action {
    void run() throws Exception;
  }

  private void onConnector(Action action) throws Exception {
    try {
      connector
          .submit(
              () -> {
                action.run();
                return null;
              })
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case Exception cause -> throw cause;
        case Error cause -> throw cause;
        default -> throw e;
      }
    }
  }

  @Override
  public void close() throws IOException {
    connector.shutdownNow();
    for (Closeable closeable : held) {
      closeable.close();
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new UncheckedIOException(e);
    }
  }
}

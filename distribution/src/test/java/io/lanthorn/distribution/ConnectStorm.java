package io.lanthorn.distribution;

import io.lanthorn.distribution.Facilities.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Loopback connect storms: the project's native one, and a Java one that notes when each began. */
final class ConnectStorm {
  private ConnectStorm() {}

  /**
   * {@code bench/probe/connect_storm.c}, compiled into {@code dir} with the machine's C compiler:
   * it listens on 127.0.0.1 and connects to itself from its threads as fast as it can. Returns
   * {@code null} when no C compiler is installed.
   */
  static Path compileNative(Path dir) {
    String compiler = Facilities.onPath("cc") ? "cc" : Facilities.onPath("clang") ? "clang" : null;
    if (compiler == null) {
      return null;
    }
    Path binary = dir.resolve("connect_storm");
    List<String> command =
        List.of(
            compiler,
            "-O2",
            "-pthread",
            System.getProperty("lanthorn.connect-storm"),
            "-o",
            binary.toString());
    Command.run(Duration.ofMinutes(2), command).orFail(command);
    return binary;
  }

  /** A running native storm of {@code attempts} connects from {@code threads} threads. */
  static Process startNative(Path binary, int attempts, int threads) throws IOException {
    return new ProcessBuilder(
            binary.toString(), Integer.toString(attempts), Integer.toString(threads))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * A storm from one thread of this JVM, named {@value #COMM}, to a listener of its own on
   * 127.0.0.1: connect, then close with a reset (no TIME_WAIT), again and again until stopped. It
   * notes the wall-clock time each attempt began.
   */
  static final class JavaStorm implements AutoCloseable {
    static final String COMM = "e2e-storm";

    private final ServerSocket listener = new ServerSocket();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final long[] began;
    private final Thread thread;
    private final AtomicInteger made = new AtomicInteger();
    private volatile Exception failure;

    /** Starts it; it makes at most {@code maxAttempts}. */
    JavaStorm(int maxAttempts) throws IOException {
      began = new long[maxAttempts];
      listener.bind(new InetSocketAddress(HostTraffic.V4, 0), 4096);
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
      thread = Thread.ofPlatform().name(COMM).start(this::storm);
    }

    private void storm() {
      InetSocketAddress target = new InetSocketAddress(HostTraffic.V4, port());
      try {
        while (running.get() && made.get() < began.length) {
          Instant now = Instant.now();
          began[made.get()] = now.getEpochSecond() * 1_000_000_000L + now.getNano();
          try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.connect(target, 10_000);
          }
          made.incrementAndGet();
        }
      } catch (IOException e) {
        failure = e;
      }
    }

    int port() {
      return listener.getLocalPort();
    }

    /** How many attempts began before this wall-clock time (nanoseconds since the epoch). */
    int begunBefore(long epochNanos) {
      int count = 0;
      for (int i = 0; i < made.get(); i++) {
        if (began[i] < epochNanos) {
          count++;
        }
      }
      return count;
    }

    /** Stops the storm and returns how many attempts it made. */
    int stop() throws Exception {
      running.set(false);
      thread.join(Duration.ofMinutes(1));
      if (failure != null) {
        throw failure;
      }
      return made.get();
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      thread.join(Duration.ofMinutes(1));
      listener.close();
    }
  }
}

package io.lanthorn.distribution;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback connect storm from threads of this JVM named {@value #COMM}, to a listener of its own
 * on 127.0.0.1 that accepts and closes: connect, close with a reset (no TIME_WAIT), again, until
 * stopped. It notes the wall-clock time each attempt began, and how many were made, so a test can
 * act while it runs and tell afterwards which attempts came before a moment.
 */
final class ConnectStorm implements AutoCloseable {
  static final String COMM = "e2e-storm";

  /** Most attempts one thread makes (its notes take 8 bytes each). */
  private static final int MAX_PER_THREAD = 1_000_000;

  private final ServerSocket listener = new ServerSocket();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger made = new AtomicInteger();
  private final List<Worker> workers = new ArrayList<>();

  /** Starts {@code threads} connecting threads. */
  ConnectStorm(int threads) throws IOException {
    listener.bind(new InetSocketAddress(HostTraffic.V4, 0), 4096);
    HostTraffic.acceptAndClose(listener);
    for (int i = 0; i < threads; i++) {
      Worker worker = new Worker();
      workers.add(worker);
      worker.thread = Thread.ofPlatform().name(COMM).start(worker);
    }
  }

  /** One connecting thread and its notes, which only it writes while it runs. */
  private final class Worker implements Runnable {
    final long[] began = new long[MAX_PER_THREAD];
    volatile int count;
    volatile IOException failure;
    Thread thread;

    @Override
    public void run() {
      InetSocketAddress target = new InetSocketAddress(HostTraffic.V4, port());
      try {
        for (int i = 0; running.get() && i < began.length; i++) {
          began[i] = epochNanos();
          try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.connect(target, 10_000);
          }
          count = i + 1;
          made.incrementAndGet();
        }
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  /** The storm's destination port. */
  int port() {
    return listener.getLocalPort();
  }

  /** Attempts completed so far. */
  int made() {
    return made.get();
  }

  /** How many attempts began before this wall-clock time (nanoseconds since the epoch). */
  int begunBefore(long epochNanos) {
    int before = 0;
    for (Worker worker : workers) {
      for (int i = 0; i < worker.count; i++) {
        if (worker.began[i] < epochNanos) {
          before++;
        }
      }
    }
    return before;
  }

  /** Stops the storm; fails if a connection attempt failed. Returns the attempts made. */
  int stop() throws Exception {
    running.set(false);
    for (Worker worker : workers) {
      worker.thread.join(Duration.ofMinutes(1));
      if (worker.failure != null) {
        throw worker.failure;
      }
    }
    return made.get();
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    for (Worker worker : workers) {
      worker.thread.join(Duration.ofMinutes(1));
    }
    listener.close();
  }

  /** Now, in nanoseconds since the epoch (microsecond resolution here). */
  static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}

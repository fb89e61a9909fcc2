package io.lanthorn.probe.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Connects from a thread with a known name, so the kernel's comm and tid can be checked. */
final class Connections {
  static final int PID = (int) ProcessHandle.current().pid();
  static final InetAddress LOOPBACK_V4 = address(new byte[] {127, 0, 0, 1});
  static final InetAddress LOOPBACK_V6 =
      address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

  private Connections() {}

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What one attempt looked like from user space. */
  record Attempt(int tid, int localPort, IOException failure) {}

  static Attempt connectFrom(String threadName, InetSocketAddress target) throws Exception {
    FutureTask<Attempt> task =
        new FutureTask<>(
            () -> {
              int tid = currentTid();
              try (Socket socket = new Socket()) {
                socket.connect(target, 5_000);
                return new Attempt(tid, socket.getLocalPort(), null);
              } catch (IOException e) {
                return new Attempt(tid, 0, e);
              }
            });
    Thread thread = Thread.ofPlatform().name(threadName).start(task);
    thread.join();
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The kernel's id of the calling thread: /proc/thread-self links to {@code <pid>/task/<tid>}. */
  static int currentTid() {
    try {
      return Integer.parseInt(
          Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This process's cgroup v2 path, e.g. {@code /} or {@code /system.slice/x.service}. */
  static Path cgroupPath() {
    try {
      return Path.of(
          Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
              .filter(line -> line.startsWith("0::"))
              .findFirst()
              .orElseThrow()
              .substring(3));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This process's cgroup v2 directory, found from /proc/self/cgroup and the cgroup2 mount. */
  static Path cgroupDirectory() {
    try {
      String relative = cgroupPath().toString();
      // mountinfo: "... <mount point> <options> ... - cgroup2 <source> <options>"
      String mountPoint =
          Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
              .filter(line -> line.contains(" - cgroup2 "))
              .findFirst()
              .orElseThrow()
              .split(" ", 6)[4];
      return Path.of(mountPoint + relative);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The real uid or gid of this process, from /proc/self/status ({@code Uid:} or {@code Gid:}). */
  static int statusId(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          // "Uid:\t<real>\t<effective>\t…"
          String values = line.substring(field.length() + 1).strip();
          int end = values.indexOf('\t');
          return Integer.parseInt(end < 0 ? values : values.substring(0, end));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + field + " in /proc/self/status");
  }
}

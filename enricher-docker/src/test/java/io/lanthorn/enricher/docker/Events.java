package io.lanthorn.enricher.docker;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import java.net.InetAddress;

/** Connection events as the TCP probe emits them, for tests. */
final class Events {
  private Events() {}

  /**
   * A refused connection to 127.0.0.1:1 by {@code nc}, with the cgroup the kernel captured.
   *
   * @param cgroupName the leaf name of the task's cgroup v2 directory, or {@code null}
   * @param cgroupId the inode of that directory, 0 when unknown
   */
  static ConnectionEvent connection(int pid, String cgroupName, long cgroupId) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(loopback)
        .sourcePort(40_000)
        .destinationAddress(loopback)
        .destinationPort(1)
        .timestampNanos(System.currentTimeMillis() * 1_000_000L)
        .kernelTimeNanos(System.nanoTime())
        .pid(pid)
        .tid(pid)
        .comm("nc")
        .cgroupId(cgroupId)
        .cgroupName(cgroupName)
        .outcome(Outcome.REFUSED)
        .errno(111)
        .handshakeNanos(20_000)
        .build();
  }
}

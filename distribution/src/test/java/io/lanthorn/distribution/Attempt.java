package io.lanthorn.distribution;

/**
 * One connection attempt a test made, and what the agent must store for it.
 *
 * @param what a description for failure messages
 * @param family {@code ipv4} or {@code ipv6}
 * @param dstAddr the destination as stored ({@code 127.0.0.1}, {@code ::1})
 * @param dstPort the destination port, unique to this attempt among the test's attempts
 * @param outcome {@code established} or {@code refused}
 * @param pid the connecting process when the test knows it, else 0
 * @param comm the connecting task's command name
 * @param container the container's name, or {@code null} for a host process
 * @param containerId the container's full id, or {@code null} for a host process
 */
record Attempt(
    String what,
    String family,
    String dstAddr,
    int dstPort,
    String outcome,
    long pid,
    String comm,
    String container,
    String containerId) {

  static final String ESTABLISHED = "established";
  static final String REFUSED = "refused";

  /** ECONNREFUSED. */
  static final int ECONNREFUSED = 111;

  boolean inContainer() {
    return container != null;
  }

  /** Whether a stored row is this attempt's: destination, and pid or the container's cgroup. */
  boolean matches(EventsDb.Row row) {
    if (row.dstPort() != dstPort || !row.dstAddr().equals(dstAddr)) {
      return false;
    }
    if (inContainer()) {
      // The kernel captured the container's cgroup: it names the container even without Docker.
      return row.cgroupName() != null && row.cgroupName().contains(containerId);
    }
    return row.pid() == pid;
  }

  Attempt inContainer(String name, String id) {
    return new Attempt(what, family, dstAddr, dstPort, outcome, pid, comm, name, id);
  }

  @Override
  public String toString() {
    return what + " (" + family + " " + dstAddr + " port " + dstPort + ", " + outcome + ")";
  }
}

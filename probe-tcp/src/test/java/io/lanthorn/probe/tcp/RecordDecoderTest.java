package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
  private static final long OFFSET = 8; // records follow an 8-byte ring header
  private final Arena arena = Arena.ofAuto();
  private final RecordDecoder decoder = new RecordDecoder();

  private static final long EXEC_ID = 0xffff_8881_0000_4000L;

  private MemorySegment record(int family, byte[] saddr, byte[] daddr, int state, int error) {
    MemorySegment b = arena.allocate(OFFSET + RecordLayout.SIZE, 8);
    b.set(JAVA_BYTE, OFFSET + RecordLayout.KIND, (byte) RecordLayout.KIND_CONNECTION);
    b.set(JAVA_LONG, OFFSET + RecordLayout.START_NS, 1_000L);
    b.set(JAVA_LONG, OFFSET + RecordLayout.LATENCY_NS, 250L);
    b.set(JAVA_LONG, OFFSET + RecordLayout.CGROUP_ID, 77L);
    b.set(JAVA_LONG, OFFSET + RecordLayout.EXEC_ID, EXEC_ID);
    b.set(JAVA_INT, OFFSET + RecordLayout.PID, 4242);
    b.set(JAVA_INT, OFFSET + RecordLayout.TID, 4243);
    b.set(JAVA_INT, OFFSET + RecordLayout.UID, 1000);
    b.set(JAVA_INT, OFFSET + RecordLayout.GID, 100);
    b.set(JAVA_INT, OFFSET + RecordLayout.ERROR, error);
    b.set(JAVA_SHORT, OFFSET + RecordLayout.FAMILY, (short) family);
    b.set(JAVA_SHORT, OFFSET + RecordLayout.SPORT, (short) 50_000);
    b.set(JAVA_SHORT, OFFSET + RecordLayout.DPORT, (short) 443);
    b.set(JAVA_BYTE, OFFSET + RecordLayout.STATE, (byte) state);
    MemorySegment.copy(saddr, 0, b, JAVA_BYTE, OFFSET + RecordLayout.SADDR, saddr.length);
    MemorySegment.copy(daddr, 0, b, JAVA_BYTE, OFFSET + RecordLayout.DADDR, daddr.length);
    put(b, RecordLayout.COMM, "curl");
    return b;
  }

  /** Announces process 4242's image {@link #EXEC_ID} in cgroup 77. */
  private void announce(int pid, long execId, long cgroupId, String cgroupName, String argv) {
    MemorySegment b = arena.allocate(OFFSET + RecordLayout.PROCESS_SIZE, 8);
    b.set(JAVA_BYTE, OFFSET + RecordLayout.KIND, (byte) RecordLayout.KIND_PROCESS);
    b.set(JAVA_INT, OFFSET + RecordLayout.PROCESS_PID, pid);
    b.set(JAVA_LONG, OFFSET + RecordLayout.PROCESS_EXEC_ID, execId);
    b.set(JAVA_LONG, OFFSET + RecordLayout.PROCESS_CGROUP_ID, cgroupId);
    put(b, RecordLayout.PROCESS_CGROUP_NAME, cgroupName);
    byte[] bytes = argv.getBytes(StandardCharsets.US_ASCII);
    MemorySegment.copy(bytes, 0, b, JAVA_BYTE, OFFSET + RecordLayout.PROCESS_ARGV, bytes.length);
    b.set(JAVA_SHORT, OFFSET + RecordLayout.PROCESS_ARGV_LEN, (short) bytes.length);
    decoder.learnProcess(b, OFFSET);
  }

  private void announce() {
    announce(4242, EXEC_ID, 77L, "docker-abc.scope", "curl\0-s\0https://example.org\0");
  }

  private static void put(MemorySegment b, long field, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    MemorySegment.copy(bytes, 0, b, JAVA_BYTE, OFFSET + field, bytes.length);
  }

  @Test
  void decodesAnIpv4Record() throws Exception {
    announce();
    MemorySegment b = record(2, new byte[] {10, 0, 0, 1}, new byte[] {93, (byte) 184, 0, 7}, 1, 0);

    ConnectionEvent e = decoder.decode(b, OFFSET, 5_000L);

    assertThat(e.family()).isEqualTo(AddressFamily.INET);
    assertThat(e.sourceAddress()).isEqualTo(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}));
    assertThat(e.destinationAddress())
        .isEqualTo(InetAddress.getByAddress(new byte[] {93, (byte) 184, 0, 7}));
    assertThat(e.sourcePort()).isEqualTo(50_000);
    assertThat(e.destinationPort()).isEqualTo(443);
    assertThat(e.kernelTimeNanos()).isEqualTo(1_000L);
    assertThat(e.timestampNanos()).isEqualTo(6_000L);
    assertThat(e.handshakeNanos()).isEqualTo(250L);
    assertThat(e.outcome()).isEqualTo(Outcome.ESTABLISHED);
    assertThat(e.pid()).isEqualTo(4242);
    assertThat(e.tid()).isEqualTo(4243);
    assertThat(e.uid()).isEqualTo(1000);
    assertThat(e.gid()).isEqualTo(100);
    assertThat(e.cgroupId()).isEqualTo(77L);
    assertThat(e.comm()).isEqualTo("curl");
    assertThat(e.cgroupName()).isEqualTo("docker-abc.scope");
    assertThat(e.commandLine()).isEqualTo("curl -s https://example.org");
  }

  @Test
  void decodesAnIpv6RecordAndReusesStrings() throws Exception {
    announce();
    byte[] v6 = InetAddress.getByName("2001:db8::1").getAddress();
    MemorySegment b = record(10, v6, v6, 7, 111);

    ConnectionEvent first = decoder.decode(b, OFFSET, 0);
    ConnectionEvent second = decoder.decode(b, OFFSET, 0);

    assertThat(first.family()).isEqualTo(AddressFamily.INET6);
    assertThat(first.destinationAddress()).isEqualTo(InetAddress.getByAddress(v6));
    assertThat(first.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(first.errno()).isEqualTo(111);
    assertThat(second.comm()).isSameAs(first.comm());
    assertThat(second.commandLine()).isSameAs(first.commandLine());
    assertThat(second.destinationAddress()).isSameAs(first.destinationAddress());
  }

  @Test
  void inFlightRecordsArePending() {
    MemorySegment b = record(2, new byte[4], new byte[4], 2, 0);

    ConnectionEvent e = decoder.decode(b, OFFSET, 0);

    assertThat(e.outcome()).isEqualTo(Outcome.PENDING);
    assertThat(e.handshakeNanos()).isEqualTo(-1);
  }

  @Test
  void emptyStringsAreAbsent() {
    announce(4242, EXEC_ID, 77L, "", "");

    ConnectionEvent e = decoder.decode(record(2, new byte[4], new byte[4], 1, 0), OFFSET, 0);

    assertThat(e.cgroupName()).isNull();
    assertThat(e.commandLine()).isNull();
    // Known to be empty (the root cgroup, a kernel thread) is not unknown.
    assertThat(decoder.unknownCgroups()).isZero();
    assertThat(decoder.unknownProcesses()).isZero();
  }

  @Test
  void whatWasNeverAnnouncedIsAbsentAndCounted() {
    MemorySegment b = record(2, new byte[4], new byte[4], 1, 0);
    ConnectionEvent e = decoder.decode(b, OFFSET, 0);

    assertThat(e.cgroupName()).isNull();
    assertThat(e.commandLine()).isNull();
    assertThat(e.cgroupId()).isEqualTo(77L);
    assertThat(e.comm()).isEqualTo("curl");
    assertThat(decoder.unknownCgroups()).isEqualTo(1);
    assertThat(decoder.unknownProcesses()).isEqualTo(1);

    // Every such event counts, not only the first.
    decoder.decode(b, OFFSET, 0);
    assertThat(decoder.unknownCgroups()).isEqualTo(2);
    assertThat(decoder.unknownProcesses()).isEqualTo(2);

    // Once announced, it is known.
    announce();
    assertThat(decoder.decode(b, OFFSET, 0).cgroupName()).isEqualTo("docker-abc.scope");
    assertThat(decoder.unknownCgroups()).isEqualTo(2);
  }

  @Test
  void whatWasForgottenIsCountedNotGuessed() {
    announce();
    MemorySegment b = record(2, new byte[4], new byte[4], 1, 0);
    assertThat(decoder.decode(b, OFFSET, 0).cgroupName()).isEqualTo("docker-abc.scope");

    // As many other processes and cgroups as the table holds push the first one out.
    for (int i = 1; i <= ProcessTable.CAPACITY; i++) {
      announce(100_000 + i, EXEC_ID, 1_000 + i, "c" + i, "x\0");
    }
    ConnectionEvent e = decoder.decode(b, OFFSET, 0);

    assertThat(e.cgroupName()).isNull();
    assertThat(e.commandLine()).isNull();
    assertThat(decoder.unknownCgroups()).isEqualTo(1);
    assertThat(decoder.unknownProcesses()).isEqualTo(1);
  }

  @Test
  void aNewAnnouncementReplacesTheOld() {
    announce();
    MemorySegment b = record(2, new byte[4], new byte[4], 1, 0);
    assertThat(decoder.decode(b, OFFSET, 0).commandLine()).isEqualTo("curl -s https://example.org");

    // The process moved to another cgroup; then it exec'd another program.
    announce(4242, EXEC_ID, 78L, "other.scope", "curl\0-s\0https://example.org\0");
    b.set(JAVA_LONG, OFFSET + RecordLayout.CGROUP_ID, 78L);
    assertThat(decoder.decode(b, OFFSET, 0).cgroupName()).isEqualTo("other.scope");
    announce(4242, EXEC_ID + 64, 78L, "other.scope", "wget\0-q\0");
    b.set(JAVA_LONG, OFFSET + RecordLayout.EXEC_ID, EXEC_ID + 64);
    assertThat(decoder.decode(b, OFFSET, 0).commandLine()).isEqualTo("wget -q");

    // Records of the old image and the old cgroup, still in the ring, keep theirs.
    b.set(JAVA_LONG, OFFSET + RecordLayout.EXEC_ID, EXEC_ID);
    b.set(JAVA_LONG, OFFSET + RecordLayout.CGROUP_ID, 77L);
    ConnectionEvent old = decoder.decode(b, OFFSET, 0);
    assertThat(old.commandLine()).isEqualTo("curl -s https://example.org");
    assertThat(old.cgroupName()).isEqualTo("docker-abc.scope");
  }

  @Test
  void processesAreToldApartByPidAndImage() {
    announce();
    announce(4300, EXEC_ID, 77L, "docker-abc.scope", "sh\0");
    MemorySegment b = record(2, new byte[4], new byte[4], 1, 0);

    assertThat(decoder.decode(b, OFFSET, 0).commandLine()).isEqualTo("curl -s https://example.org");
    b.set(JAVA_INT, OFFSET + RecordLayout.PID, 4300);
    assertThat(decoder.decode(b, OFFSET, 0).commandLine()).isEqualTo("sh");
  }

  @Test
  void mapsErrorsToOutcomes() {
    assertThat(RecordDecoder.outcome(7, 111)).isEqualTo(Outcome.REFUSED);
    assertThat(RecordDecoder.outcome(7, 110)).isEqualTo(Outcome.TIMED_OUT);
    assertThat(RecordDecoder.outcome(7, 113)).isEqualTo(Outcome.UNREACHABLE);
    assertThat(RecordDecoder.outcome(7, 101)).isEqualTo(Outcome.UNREACHABLE);
    assertThat(RecordDecoder.outcome(7, 0)).isEqualTo(Outcome.OTHER);
    assertThat(RecordDecoder.outcome(1, 0)).isEqualTo(Outcome.ESTABLISHED);
    assertThat(RecordDecoder.outcome(2, 0)).isEqualTo(Outcome.PENDING);
  }
}

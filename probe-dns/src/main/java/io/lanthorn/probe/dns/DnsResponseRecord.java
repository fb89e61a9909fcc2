package io.lanthorn.probe.dns;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * One DNS response as a socket received it, decoded from the ring: who received it (cgroup, and the
 * process whose query went out on the same socket, when a hook saw it), the server, and the DNS
 * message's bytes (at most 512; {@link #packetPayloadLength()} says how many the packet carried).
 *
 * @param timestampNanos wall-clock time of delivery, nanoseconds since the epoch
 * @param kernelTimeNanos the same on the kernel's monotonic clock
 * @param pid 0 when no query on this socket was seen (it was sent before the probe attached)
 * @param cgroupName the leaf name of the receiving cgroup as the kernel read it in the asking task,
 *     or {@code null} when no query on this socket was seen
 * @param transport 17 (UDP) or 6 (TCP)
 */
// The payload array is never modified after decoding; copying it per access would cost a copy per
// response on the reader thread for nothing.
@SuppressWarnings("ArrayRecordComponent")
public record DnsResponseRecord(
    long timestampNanos,
    long kernelTimeNanos,
    long cgroupId,
    long socketCookie,
    int pid,
    int tid,
    String comm,
    String cgroupName,
    InetAddress server,
    int transport,
    byte[] payload,
    int packetPayloadLength) {

  /** IANA protocol number of UDP. */
  public static final int UDP = 17;

  /** IANA protocol number of TCP. */
  public static final int TCP = 6;

  /** Whether the packet carried more than was copied. */
  public boolean truncatedCopy() {
    return packetPayloadLength > payload.length;
  }

  /**
   * Decodes a ring record of {@link RecordLayout#SIZE} bytes.
   *
   * @throws IllegalArgumentException when the record is not one
   */
  static DnsResponseRecord decode(
      MemorySegment buffer, long offset, int length, long wallClockOffsetNanos) {
    if (length != RecordLayout.SIZE) {
      throw new IllegalArgumentException(
          "DNS record of " + length + " bytes, expected " + RecordLayout.SIZE);
    }
    MemorySegment r = buffer.asSlice(offset, length);
    int family = Byte.toUnsignedInt(r.get(JAVA_BYTE, RecordLayout.FAMILY));
    byte[] server = new byte[family == 6 ? 16 : 4];
    MemorySegment.copy(r, JAVA_BYTE, RecordLayout.SERVER, server, 0, server.length);
    int copied =
        Math.min(
            RecordLayout.MAX_PAYLOAD,
            Short.toUnsignedInt(r.get(JAVA_SHORT_UNALIGNED, RecordLayout.PAYLOAD_LENGTH)));
    byte[] payload = new byte[copied];
    MemorySegment.copy(r, JAVA_BYTE, RecordLayout.PAYLOAD, payload, 0, copied);
    try {
      long kernelTime = r.get(JAVA_LONG_UNALIGNED, RecordLayout.KTIME_NS);
      return new DnsResponseRecord(
          kernelTime + wallClockOffsetNanos,
          kernelTime,
          r.get(JAVA_LONG_UNALIGNED, RecordLayout.CGROUP_ID),
          r.get(JAVA_LONG_UNALIGNED, RecordLayout.SOCKET_COOKIE),
          r.get(JAVA_INT_UNALIGNED, RecordLayout.PID),
          r.get(JAVA_INT_UNALIGNED, RecordLayout.TID),
          cString(r, RecordLayout.COMM, RecordLayout.COMM_LEN),
          emptyToNull(cString(r, RecordLayout.CGROUP_NAME, RecordLayout.CGROUP_NAME_LEN)),
          InetAddress.getByAddress(server),
          Byte.toUnsignedInt(r.get(JAVA_BYTE, RecordLayout.TRANSPORT)),
          payload,
          Short.toUnsignedInt(r.get(JAVA_SHORT_UNALIGNED, RecordLayout.PACKET_PAYLOAD)));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("server address of " + server.length + " bytes", e);
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static String cString(MemorySegment r, long offset, int max) {
    int end = 0;
    while (end < max && r.get(JAVA_BYTE, offset + end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end];
    MemorySegment.copy(r, JAVA_BYTE, offset, bytes, 0, end);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns raw addresses of kernel records into {@link InetAddress}es, reusing instances for repeated
 * addresses (the same few peers and local addresses recur constantly). Direct-mapped by hash. Not
 * thread-safe.
 */
final class AddressCache {
  // IPv4 keys look like their v4-mapped IPv6 form; records never hold real v4-mapped addresses.
  private static final long V4_MARK = 0xffffL << 32;

  private final long[] high;
  private final long[] low;
  private final InetAddress[] addresses;
  private final int mask;

  /**
   * @param slots a power of two
   */
  AddressCache(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    high = new long[slots];
    low = new long[slots];
    addresses = new InetAddress[slots];
    mask = slots - 1;
  }

  /** The IPv4 address in the 4 bytes at {@code offset}. */
  InetAddress ipv4(MemorySegment buffer, long offset) {
    return get(
        buffer, offset, 0, V4_MARK | Integer.toUnsignedLong(buffer.get(JAVA_INT, offset)), 4);
  }

  /** The IPv6 address in the 16 bytes at {@code offset}. */
  InetAddress ipv6(MemorySegment buffer, long offset) {
    return get(
        buffer, offset, buffer.get(JAVA_LONG, offset), buffer.get(JAVA_LONG, offset + 8), 16);
  }

  private InetAddress get(MemorySegment buffer, long offset, long hi, long lo, int length) {
    long h = (hi ^ Long.rotateLeft(lo, 29)) * 0x9e3779b97f4a7c15L;
    int slot = (int) (h >>> 40) & mask;
    InetAddress cached = addresses[slot];
    if (cached != null && high[slot] == hi && low[slot] == lo) {
      return cached;
    }
    byte[] raw = new byte[length];
    MemorySegment.copy(buffer, JAVA_BYTE, offset, raw, 0, length);
    InetAddress address;
    try {
      address = InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes make an address", e);
    }
    high[slot] = hi;
    low[slot] = lo;
    addresses[slot] = address;
    return address;
  }
}

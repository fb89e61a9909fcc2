package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Turns the 16-byte {@code comm} fields of kernel records into {@link String}s, returning the same
 * instance while the name repeats, as a busy process's does record after record: decoding then
 * allocates nothing. A name is two machine words, so a lookup is two loads, a hash and two
 * compares. Direct-mapped, the newest name wins a slot. Not thread-safe.
 */
final class CommCache {
  static final int CAPACITY = RecordLayout.COMM_LEN;

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final long[] low;
  private final long[] high;
  private final String[] names;
  private final int mask;

  /**
   * @param slots a power of two
   */
  CommCache(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    low = new long[slots];
    high = new long[slots];
    names = new String[slots];
    mask = slots - 1;
  }

  /** The NUL-terminated name in the 16 bytes at {@code offset}, decoded as UTF-8. */
  String get(MemorySegment buffer, long offset) {
    long first = buffer.get(JAVA_LONG_UNALIGNED, offset);
    long second = buffer.get(JAVA_LONG_UNALIGNED, offset + Long.BYTES);
    int length;
    // Bytes after the terminating NUL are not part of the name: zero them in the key.
    long zeros = zeroBytes(first);
    if (zeros != 0) {
      length = Long.numberOfTrailingZeros(zeros) / 8;
      first &= (1L << (length * 8)) - 1;
      second = 0;
    } else {
      zeros = zeroBytes(second);
      if (zeros != 0) {
        int inSecond = Long.numberOfTrailingZeros(zeros) / 8;
        length = Long.BYTES + inSecond;
        second &= (1L << (inSecond * 8)) - 1;
      } else {
        length = CAPACITY;
      }
    }
    int slot = (int) (((first ^ Long.rotateLeft(second, 31)) * 0x9e3779b97f4a7c15L) >>> 40) & mask;
    String name = names[slot];
    if (name != null && low[slot] == first && high[slot] == second) {
      return name;
    }
    byte[] bytes = new byte[length];
    MemorySegment.copy(buffer, JAVA_BYTE, offset, bytes, 0, length);
    name = new String(bytes, StandardCharsets.UTF_8);
    low[slot] = first;
    high[slot] = second;
    names[slot] = name;
    return name;
  }

  /** The high bit of each zero byte of {@code word}; the lowest one set marks the first zero. */
  private static long zeroBytes(long word) {
    return (word - ONES) & ~word & HIGHS;
  }
}

package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Turns byte strings of kernel records into {@link String}s, returning the same instance while the
 * bytes repeat, as a busy process's name, cgroup and arguments do record after record: decoding
 * then allocates nothing. Direct-mapped by hash, the newest string wins a slot. Not thread-safe.
 *
 * <p>Bytes are hashed and compared eight at a time. The record fields this reads have capacities
 * that are multiples of eight, so reading the whole last word never leaves the field.
 */
final class StringCache {
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final long[][] keys;
  private final int[] lengths;
  private final String[] values;
  private final int mask;

  /**
   * @param slots a power of two
   */
  StringCache(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    keys = new long[slots][];
    lengths = new int[slots];
    values = new String[slots];
    mask = slots - 1;
  }

  /**
   * The length of the NUL-terminated string in a field of {@code capacity} bytes (a multiple of 8).
   */
  static int terminated(MemorySegment buffer, long offset, int capacity) {
    for (int i = 0; i < capacity; i += Long.BYTES) {
      long word = buffer.get(JAVA_LONG_UNALIGNED, offset + i);
      long zeros = (word - ONES) & ~word & HIGHS; // the lowest set bit marks the first zero byte
      if (zeros != 0) {
        return i + Long.numberOfTrailingZeros(zeros) / 8;
      }
    }
    return capacity;
  }

  /**
   * The string of {@code length} bytes at {@code offset}, decoded as UTF-8.
   *
   * @param nulAsSpace replaces NUL bytes by spaces, for NUL-separated argument lists
   */
  String get(MemorySegment buffer, long offset, int length, boolean nulAsSpace) {
    int words = (length + 7) / 8;
    long hash = length;
    for (int i = 0; i < words; i++) {
      hash = (hash ^ word(buffer, offset, length, i)) * 0x9e3779b97f4a7c15L;
    }
    int slot = (int) (hash >>> 40) & mask;
    long[] key = keys[slot];
    if (key != null && lengths[slot] == length && equal(key, buffer, offset, length)) {
      return values[slot];
    }
    key = new long[words];
    for (int i = 0; i < words; i++) {
      key[i] = word(buffer, offset, length, i);
    }
    byte[] bytes = new byte[length];
    MemorySegment.copy(buffer, JAVA_BYTE, offset, bytes, 0, length);
    if (nulAsSpace) {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == 0) {
          bytes[i] = ' ';
        }
      }
    }
    String value = new String(bytes, StandardCharsets.UTF_8);
    keys[slot] = key;
    lengths[slot] = length;
    values[slot] = value;
    return value;
  }

  /** Word {@code i} of the string, bytes past its end zeroed (little-endian). */
  private static long word(MemorySegment buffer, long offset, int length, int i) {
    long word = buffer.get(JAVA_LONG_UNALIGNED, offset + (long) i * Long.BYTES);
    int valid = length - i * Long.BYTES;
    return valid >= Long.BYTES ? word : word & ((1L << (valid * 8)) - 1);
  }

  private static boolean equal(long[] key, MemorySegment buffer, long offset, int length) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] != word(buffer, offset, length, i)) {
        return false;
      }
    }
    return true;
  }
}

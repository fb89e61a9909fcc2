package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Turns byte strings of kernel records into {@link String}s, returning the same instance while the
 * bytes repeat, as a busy process's name, cgroup and arguments do record after record: decoding
 * then allocates nothing. Direct-mapped by hash, the newest string wins a slot. Not thread-safe.
 */
final class StringCache {
  private final byte[][] keys;
  private final String[] values;
  private final int mask;

  /**
   * @param slots a power of two
   */
  StringCache(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    keys = new byte[slots][];
    values = new String[slots];
    mask = slots - 1;
  }

  /**
   * The string of {@code length} bytes at {@code offset}, decoded as UTF-8.
   *
   * @param nulAsSpace replaces NUL bytes by spaces, for NUL-separated argument lists
   */
  String get(MemorySegment buffer, long offset, int length, boolean nulAsSpace) {
    int hash = 1;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + buffer.get(JAVA_BYTE, offset + i);
    }
    int slot = (hash ^ (hash >>> 16)) & mask;
    byte[] key = keys[slot];
    if (key != null && equal(key, buffer, offset, length)) {
      return values[slot];
    }
    byte[] bytes = new byte[length];
    MemorySegment.copy(buffer, JAVA_BYTE, offset, bytes, 0, length);
    byte[] text = bytes;
    if (nulAsSpace) {
      text = bytes.clone();
      for (int i = 0; i < text.length; i++) {
        if (text[i] == 0) {
          text[i] = ' ';
        }
      }
    }
    String value = new String(text, StandardCharsets.UTF_8);
    keys[slot] = bytes;
    values[slot] = value;
    return value;
  }

  private static boolean equal(byte[] key, MemorySegment buffer, long offset, int length) {
    if (key.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (key[i] != buffer.get(JAVA_BYTE, offset + i)) {
        return false;
      }
    }
    return true;
  }
}

package io.lanthorn.api;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses as people write and query them: dotted quads, and IPv6 in RFC 5952's canonical form
 * ({@code ::1}, {@code 2001:db8::7}) rather than Java's {@code 0:0:0:0:0:0:0:1}. Every core sink
 * writes addresses this way, so a sink of your own that does too stays comparable with them.
 */
public final class AddressText {
  private AddressText() {}

  /**
   * The canonical text of an address, without any scope id.
   *
   * @param address an IPv4 or IPv6 address
   * @return its canonical text
   */
  public static String of(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    // RFC 5952 4.2: "::" replaces the longest run of two or more zero groups, the first on a tie.
    int bestStart = -1;
    int bestLength = 1;
    for (int start = 0; start < 8; ) {
      int end = start;
      while (end < 8 && groups[end] == 0) {
        end++;
      }
      if (end - start > bestLength) {
        bestStart = start;
        bestLength = end - start;
      }
      start = end == start ? start + 1 : end;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}

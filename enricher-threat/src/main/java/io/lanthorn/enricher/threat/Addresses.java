package io.lanthorn.enricher.threat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Addresses as 128-bit numbers (two longs, compared unsigned). IPv4 addresses become their
 * IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}), so one structure holds both families and an
 * IPv4-mapped destination matches an IPv4 entry.
 */
final class Addresses {
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final long MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

  private Addresses() {}

  /**
   * A literal address, never looked up by name (feeds and names must cause no DNS traffic).
   *
   * @return {@code null} when the text is not an IPv4 dotted quad or an IPv6 literal
   */
  static InetAddress literal(String text) {
    boolean v4 = DOTTED_QUAD.matcher(text).matches();
    if (!v4 && text.indexOf(':') < 0) {
      return null;
    }
    try {
      return v4 ? Inet4Address.ofLiteral(text) : Inet6Address.ofLiteral(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The high 64 bits. */
  static long high(InetAddress address) {
    if (address instanceof Inet4Address) {
      return 0;
    }
    return high(address.getAddress());
  }

  /** The low 64 bits. */
  static long low(InetAddress address) {
    return low(address.getAddress());
  }

  /** The high 64 bits of an address's bytes ({@link InetAddress#getAddress()}, 4 or 16). */
  static long high(byte[] bytes) {
    return bytes.length == 4 ? 0 : toLong(bytes, 0);
  }

  /** The low 64 bits of an address's bytes. */
  static long low(byte[] bytes) {
    if (bytes.length == 4) {
      return MAPPED_PREFIX
          | (bytes[0] & 0xffL) << 24
          | (bytes[1] & 0xffL) << 16
          | (bytes[2] & 0xffL) << 8
          | (bytes[3] & 0xffL);
    }
    return toLong(bytes, 8);
  }

  /** The prefix length in the 128-bit space of a prefix of this address's own family. */
  static int widePrefix(InetAddress address, int prefix) {
    return address instanceof Inet4Address ? prefix + 96 : prefix;
  }

  static int bits(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  private static long toLong(byte[] bytes, int from) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[from + i] & 0xff);
    }
    return value;
  }
}

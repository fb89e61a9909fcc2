package io.lanthorn.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One resource record of a DNS answer section.
 *
 * @param name the owner name, without the trailing dot, e.g. {@code www.example.com}
 * @param type the record type number ({@code 1} A, {@code 28} AAAA, {@code 5} CNAME …; see {@link
 *     DnsEvent#typeName(int)})
 * @param ttlSeconds the time to live, in seconds (unsigned 32-bit in DNS, so a {@code long})
 * @param address the address of an A or AAAA record, else {@code null}
 * @param canonicalName the target of a CNAME record, without the trailing dot, else {@code null}
 */
public record DnsAnswer(
    String name, int type, long ttlSeconds, InetAddress address, String canonicalName) {

  /** Checks the name is present and the TTL is an unsigned 32-bit value. */
  public DnsAnswer {
    Objects.requireNonNull(name, "name");
    if (ttlSeconds < 0 || ttlSeconds > 0xffff_ffffL) {
      throw new IllegalArgumentException("ttlSeconds out of range: " + ttlSeconds);
    }
  }

  /** An A or AAAA record. */
  public static DnsAnswer address(String name, long ttlSeconds, InetAddress address) {
    int type = address instanceof java.net.Inet6Address ? DnsEvent.TYPE_AAAA : DnsEvent.TYPE_A;
    return new DnsAnswer(name, type, ttlSeconds, Objects.requireNonNull(address), null);
  }

  /** A CNAME record. */
  public static DnsAnswer canonicalName(String name, long ttlSeconds, String canonicalName) {
    return new DnsAnswer(
        name, DnsEvent.TYPE_CNAME, ttlSeconds, null, Objects.requireNonNull(canonicalName));
  }
}

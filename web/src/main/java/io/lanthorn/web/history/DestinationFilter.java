package io.lanthorn.web.history;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * What a search means by "destination": an address, a CIDR block or a domain. Addresses are parsed
 * as literals only, never resolved.
 */
sealed interface DestinationFilter {
  Pattern DOMAIN = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_-]+)*\\.?");

  /**
   * A block (an address is a block of one), matched in Java by the {@code in_cidr} function the
   * query registers: stored text is compared as addresses, whatever its IPv6 spelling.
   */
  final class Cidr implements DestinationFilter {
    private final byte[] network;
    private final int prefix;

    Cidr(byte[] network, int prefix) {
      this.network = network.clone();
      this.prefix = prefix;
    }

    boolean contains(String address) {
      byte[] bytes;
      try {
        bytes = InetAddress.ofLiteral(address).getAddress();
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (bytes[full] & mask) == (network[full] & mask);
    }
  }

  /** A name and its subdomains; needs the domain_name column the DNS plugin fills. */
  record Domain(String name) implements DestinationFilter {}

  static DestinationFilter parse(String text) {
    String value = text.trim().toLowerCase(java.util.Locale.ROOT);
    int slash = value.indexOf('/');
    if (slash > 0) {
      byte[] network = literal(value.substring(0, slash), text);
      int prefix;
      try {
        prefix = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw bad(text);
      }
      if (prefix < 0 || prefix > network.length * 8) {
        throw bad(text);
      }
      return new Cidr(network, prefix);
    }
    if (value.contains(":") || value.matches("[0-9.]+")) {
      byte[] address = literal(value, text);
      return new Cidr(address, address.length * 8);
    }
    if (DOMAIN.matcher(value).matches()) {
      return new Domain(value.endsWith(".") ? value.substring(0, value.length() - 1) : value);
    }
    throw bad(text);
  }

  private static byte[] literal(String value, String text) {
    try {
      return InetAddress.ofLiteral(value).getAddress();
    } catch (IllegalArgumentException e) {
      throw bad(text);
    }
  }

  private static BadQueryException bad(String text) {
    return new BadQueryException(
        "destination '"
            + text
            + "' is not an address (10.0.0.5), a CIDR block (10.0.0.0/8) or a domain (example.org)");
  }
}

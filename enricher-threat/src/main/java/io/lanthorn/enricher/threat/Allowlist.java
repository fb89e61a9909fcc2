package io.lanthorn.enricher.threat;

import java.net.InetAddress;
import java.util.List;

/** Addresses, ranges and domains never flagged: it wins over every feed. */
record Allowlist(IpRanges addresses, DomainSet domains) {
  static final Allowlist NONE = new Allowlist(IpRanges.empty(), DomainSet.empty());

  /**
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  static Allowlist of(List<String> entries) {
    IpRanges.Builder addresses = new IpRanges.Builder();
    DomainSet.Builder domains = new DomainSet.Builder();
    for (String entry : entries) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty() || FeedParser.addAddressOrRange(trimmed, addresses)) {
        continue;
      }
      FeedContent name = FeedParser.parse(trimmed, FeedFormat.DOMAIN);
      if (name.malformed() > 0 || name.domains().size() != 1) {
        throw new IllegalArgumentException(
            "'" + trimmed + "' is neither an address, a CIDR range nor a domain");
      }
      domains.add(trimmed.startsWith("*.") ? trimmed.substring(2) : trimmed);
    }
    return new Allowlist(addresses.build(), domains.build());
  }

  boolean allows(InetAddress address) {
    return addresses.match(address) != null;
  }

  boolean allows(String name) {
    return name != null && domains.match(name) != null;
  }
}

package io.lanthorn.enricher.threat;

import java.net.InetAddress;

/**
 * One feed's entries, parsed: immutable, swapped whole when a refresh brings a new version.
 *
 * @param entries the lines that held an entry
 * @param malformed the lines that held something else (skipped)
 */
record FeedContent(IpRanges addresses, DomainSet domains, int entries, int malformed) {
  static final FeedContent EMPTY = new FeedContent(IpRanges.empty(), DomainSet.empty(), 0, 0);

  String matchAddress(InetAddress address) {
    return addresses.match(address);
  }

  String matchName(String name) {
    return domains.match(name);
  }
}

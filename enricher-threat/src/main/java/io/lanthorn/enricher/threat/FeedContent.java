package io.lanthorn.enricher.threat;

import java.net.InetAddress;
import java.util.List;

/**
 * One feed's entries, parsed: immutable, swapped whole when a refresh brings a new version.
 *
 * @param entries the lines that held an entry
 * @param malformed the lines that held something else (skipped)
 * @param addressEntries the address and range entries as the feed wrote them, in feed order
 * @param domainEntries the listed domains, normalised
 * @param version a digest of the text the entries were read from; {@code null} for no version
 */
record FeedContent(
    IpRanges addresses,
    DomainSet domains,
    int entries,
    int malformed,
    List<String> addressEntries,
    List<String> domainEntries,
    String version) {
  static final FeedContent EMPTY =
      new FeedContent(IpRanges.empty(), DomainSet.empty(), 0, 0, List.of(), List.of(), null);

  FeedContent {
    addressEntries = List.copyOf(addressEntries);
    domainEntries = List.copyOf(domainEntries);
  }

  String matchAddress(InetAddress address) {
    return addresses.match(address);
  }

  String matchName(String name) {
    return domains.match(name);
  }
}

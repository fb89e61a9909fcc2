package io.lanthorn.enricher.threat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every feed's current version and the allowlist: what an event is checked against. Lock-free; each
 * feed's version is read once per lookup.
 */
final class ThreatIndex {
  private final List<FeedState> feeds;
  private final FeedState[] feedArray;
  private final Allowlist allowlist;

  ThreatIndex(List<FeedState> feeds, Allowlist allowlist) {
    this.feeds = List.copyOf(feeds);
    this.feedArray = this.feeds.toArray(new FeedState[0]);
    this.allowlist = allowlist;
  }

  /**
   * Checks one peer address and the name it was looked up as: what a connection shows. The
   * address's bytes are read once, and nothing else is allocated unless something matches.
   *
   * @param name the domain, or {@code null} when none is known
   * @return {@code null} when no feed lists either, or the allowlist holds one
   */
  ThreatMatch match(InetAddress address, String name) {
    byte[] bytes = address.getAddress();
    long high = Addresses.high(bytes);
    long low = Addresses.low(bytes);
    if (allowlist.addresses().match(high, low) != null || allowlist.allows(name)) {
      return null;
    }
    List<FeedState> matched = null;
    String indicator = null;
    for (FeedState feed : feedArray) {
      FeedContent content = feed.content();
      String hit = name == null ? null : content.matchName(name);
      if (hit == null) {
        hit = content.addresses().match(high, low);
      }
      if (hit != null) {
        if (matched == null) {
          matched = new ArrayList<>(2);
          indicator = hit;
        }
        matched.add(feed);
      }
    }
    return matched == null ? null : new ThreatMatch(matched, indicator);
  }

  List<FeedState> feeds() {
    return feeds;
  }

  /**
   * Checks the addresses and names an event shows. Domain entries match names only: an address that
   * merely hosts a listed domain is not flagged (shared CDN addresses).
   *
   * @return {@code null} when no feed lists any of them, or the allowlist holds one
   */
  ThreatMatch match(Collection<InetAddress> addresses, Collection<String> names) {
    for (InetAddress address : addresses) {
      if (allowlist.allows(address)) {
        return null;
      }
    }
    for (String name : names) {
      if (allowlist.allows(name)) {
        return null;
      }
    }
    List<FeedState> matched = null;
    String indicator = null;
    for (FeedState feed : feeds) {
      String hit = match(feed.content(), addresses, names);
      if (hit != null) {
        if (matched == null) {
          matched = new ArrayList<>(2);
          indicator = hit;
        }
        matched.add(feed);
      }
    }
    return matched == null ? null : new ThreatMatch(matched, indicator);
  }

  private static String match(
      FeedContent content, Collection<InetAddress> addresses, Collection<String> names) {
    for (String name : names) {
      String hit = content.matchName(name);
      if (hit != null) {
        return hit;
      }
    }
    for (InetAddress address : addresses) {
      String hit = content.matchAddress(address);
      if (hit != null) {
        return hit;
      }
    }
    return null;
  }
}

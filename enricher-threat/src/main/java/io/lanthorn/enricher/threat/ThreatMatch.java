package io.lanthorn.enricher.threat;

import java.util.List;

/**
 * The feeds that list something an event shows.
 *
 * @param feeds the feeds' names, in configuration order
 * @param indicator the first matching entry, as its feed wrote it
 */
record ThreatMatch(List<FeedState> feeds, String indicator) {
  String source() {
    if (feeds.size() == 1) {
      return feeds.getFirst().spec().name();
    }
    StringBuilder names = new StringBuilder();
    for (FeedState feed : feeds) {
      names.append(names.isEmpty() ? "" : ",").append(feed.spec().name());
    }
    return names.toString();
  }
}

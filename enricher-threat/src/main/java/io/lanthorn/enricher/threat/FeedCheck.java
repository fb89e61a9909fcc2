package io.lanthorn.enricher.threat;

import java.util.Locale;

/** Whether a downloaded version looks like the list it replaces, or like a broken download. */
final class FeedCheck {
  private FeedCheck() {}

  /**
   * Returns why the version is refused, or {@code null} to take it.
   *
   * @param feed the feed's name, for the way out a refusal names
   * @param minKeep the fraction of the previous entries a version must keep; 0 accepts any shrink
   */
  static String refusal(
      String text, FeedContent parsed, FeedContent previous, double minKeep, String feed) {
    String start = text.stripLeading();
    String head = start.substring(0, Math.min(512, start.length())).toLowerCase(Locale.ROOT);
    if (head.startsWith("<!doctype") || head.startsWith("<html") || head.contains("<body")) {
      return "an HTML page, not a list";
    }
    if (parsed.entries() == 0 && parsed.malformed() > 0) {
      return "no line reads as an entry (" + parsed.malformed() + " malformed)";
    }
    if (previous.entries() > 0 && parsed.entries() < previous.entries() * minKeep) {
      return "the list shrank from "
          + previous.entries()
          + " to "
          + parsed.entries()
          + " entries, more than min-keep-ratio allows (if the list really shrank: lanthorn feeds"
          + " --accept-shrink "
          + feed
          + ")";
    }
    return null;
  }
}

package io.lanthorn.enricher.threat;

import java.util.Locale;

/** How a feed's lines read; the {@code format} of a feed in the configuration. */
enum FeedFormat {
  /**
   * One address or CIDR range a line (Spamhaus DROP, FireHOL); {@code ;} and {@code #} comments.
   */
  IP("ip"),
  /** abuse.ch Feodo Tracker's IP blocklist: one address a line, {@code #} comments. */
  FEODO("feodo"),
  /** A hosts file ({@code 127.0.0.1 evil.example}), as URLhaus publishes its host list. */
  HOSTS("hosts"),
  /** One domain a line; the domain and every name below it are listed. */
  DOMAIN("domain");

  private final String label;

  FeedFormat(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /**
   * @throws IllegalArgumentException naming the accepted formats
   */
  static FeedFormat of(String label) {
    for (FeedFormat format : values()) {
      if (format.label.equals(label.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown format '" + label + "'; use ip, feodo, hosts or domain");
  }
}

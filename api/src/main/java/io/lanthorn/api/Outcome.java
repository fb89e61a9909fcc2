package io.lanthorn.api;

import java.util.Locale;

/** How a connection attempt ended, as seen at the end of the TCP handshake. */
public enum Outcome {
  /** The handshake completed ({@code SYN_SENT -> ESTABLISHED}). */
  ESTABLISHED,
  /** The peer answered with a reset ({@code ECONNREFUSED}). */
  REFUSED,
  /** No answer before the kernel gave up ({@code ETIMEDOUT}). */
  TIMED_OUT,
  /** The network or host was unreachable ({@code ENETUNREACH}, {@code EHOSTUNREACH}). */
  UNREACHABLE,
  /** Closed during the handshake for another reason; the event's errno says which. */
  OTHER,
  /** Still in the handshake when the source stopped; latency is unknown. */
  PENDING;

  /** The lower-case name users see in storage and output, e.g. {@code "timed_out"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The outcome for a {@link #label()}, ignoring case.
   *
   * @throws IllegalArgumentException for an unknown label
   */
  public static Outcome ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}

package io.lanthorn.api;

/** The transport protocol of an event. */
public enum Protocol {
  /** TCP. */
  TCP,
  /** UDP. */
  UDP;

  /** The lower-case name users see in storage and output, e.g. {@code "tcp"}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

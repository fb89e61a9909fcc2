package io.lanthorn.api;

/** The transport protocol of a connection. */
public enum Protocol {
  /** TCP. */
  TCP;

  /** The lower-case name users see in storage and output, e.g. {@code "tcp"}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

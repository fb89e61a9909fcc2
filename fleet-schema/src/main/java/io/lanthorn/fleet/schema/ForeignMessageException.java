package io.lanthorn.fleet.schema;

/** A message that is not a Lanthorn event of a schema version this build reads. */
public final class ForeignMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  ForeignMessageException(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  /**
   * A short, stable, lower-case reason for metrics: {@code not_json}, {@code not_lanthorn}, {@code
   * unsupported_version}, {@code unsupported_kind}, {@code invalid_event}.
   */
  public String reason() {
    return reason;
  }
}

package io.lanthorn.web.history;

/** A request's parameters make no sense; the message, one line, says which and why (HTTP 400). */
public final class BadQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadQueryException(String message) {
    super(message);
  }
}

package io.lanthorn.web.history;

/**
 * The database cannot be read (absent, locked, corrupt); the message says what to do (HTTP 503).
 */
public final class HistoryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HistoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

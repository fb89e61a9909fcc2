package io.lanthorn.api;

import java.io.Serial;

/**
 * A failure a user can act on. Its message is shown as it is, on one line, so it should name the
 * thing that is wrong and what to do, e.g. {@code "cannot open /var/lib/lanthorn/lanthorn.db:
 * permission denied; choose a writable --db-path"}.
 */
public class PluginException extends Exception {
  @Serial private static final long serialVersionUID = 1L;

  /** A failure with a user-facing message. */
  public PluginException(String message) {
    super(message);
  }

  /** A failure with a user-facing message and the underlying cause (logged at debug level). */
  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}

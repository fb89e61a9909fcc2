package io.lanthorn.config;

import java.io.Serial;

/**
 * A configuration value its reference does not allow: an unknown key or a wrong type. The message
 * is one line naming the full path, where the value was set, and what is expected.
 */
public final class ConfigValidationException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** A refusal with its one-line message. */
  public ConfigValidationException(String message) {
    super(message);
  }
}

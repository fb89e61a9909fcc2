package io.lanthorn.api;

import java.io.Serial;

/**
 * A {@link PluginConfig} getter was asked for a path the section does not define, or for a type the
 * value does not have. The message names the full path.
 */
public class PluginConfigException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** A failure with a message naming the full path. */
  public PluginConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

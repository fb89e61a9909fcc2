package io.lanthorn.launcher;

import java.io.Serial;

/**
 * A failure the user can act on: its message is printed as one line and the process exits with
 * {@link #exitCode()}.
 */
public final class LauncherException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * @param exitCode one of {@link ExitCodes}
   * @param message one line naming what is wrong and what to do
   */
  public LauncherException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A failure with its underlying cause, kept for debug logging. */
  public LauncherException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The process exit status this failure maps to. */
  public int exitCode() {
    return exitCode;
  }
}

package io.lanthorn.launcher;

/**
 * The process exit statuses of {@code lanthorn}, documented in the launcher's README. A {@code
 * lanthorn run} stopped by SIGTERM or SIGINT ends with the JVM's 143 or 130 after an orderly drain.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** Success. */
  public static final int OK = 0;

  /** A plugin failed to start, or another failure at run time. */
  public static final int FAILURE = 1;

  /** The command line is wrong (unknown option, missing value). */
  public static final int USAGE = 2;

  /** The configuration is wrong: unreadable file, unknown key, wrong type, bad value. */
  public static final int CONFIG = 3;

  /** The plugins directory is unusable: unsafe permissions, a broken jar, duplicate names. */
  public static final int PLUGINS = 4;

  /** Nothing to run: no event source, or no sink, is installed and enabled. */
  public static final int NOTHING_TO_RUN = 5;
}

package io.lanthorn.launcher.plugin;

import io.lanthorn.api.PluginException;

/** Turns a plugin's exception into the one line a user sees. */
public final class Failures {
  private Failures() {}

  /**
   * A {@link PluginException}'s message as it is (it was written for users); any other exception as
   * its type and message, since a bare message like "null" would say nothing.
   */
  public static String describe(Throwable e) {
    if (e instanceof PluginException) {
      return e.getMessage();
    }
    Throwable cause = e.getCause();
    return cause instanceof PluginException && e.getMessage() == null
        ? cause.getMessage()
        : e.toString();
  }
}

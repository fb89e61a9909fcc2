package io.lanthorn.api;

/**
 * The version of this API, {@code MAJOR.MINOR}. A minor version adds to the API; a major version
 * changes or removes something. The agent runs a plugin built against the same major version and
 * the same or an older minor version, and refuses any other in one line naming both versions.
 *
 * <p>A plugin states what it was built against in {@link PluginFactory#apiVersion()} by returning
 * {@link #CURRENT}: the compiler copies that constant into the plugin's class, so the value is the
 * one of the API jar the plugin was compiled with, not the one it runs with.
 */
public final class ApiVersion {
  private ApiVersion() {}

  /** The major version: 2 since plugins are factories (1 was the start(context) services). */
  public static final int MAJOR = 2;

  /**
   * The minor version: 1 added {@link PluginInstance#status()}, {@link ThreatFeedEvent} and an
   * emitter in every enricher's context; 2 added {@link PluginFactory#enrichAfter()}.
   */
  public static final int MINOR = 2;

  /** {@code MAJOR.MINOR} of this API. */
  public static final String CURRENT = MAJOR + "." + MINOR;

  /**
   * Whether a plugin built against {@code builtAgainst} runs with this API.
   *
   * @param builtAgainst what the plugin's {@link PluginFactory#apiVersion()} returned
   * @return {@code true} for the same major version and the same or an older minor version
   */
  public static boolean accepts(String builtAgainst) {
    if (builtAgainst == null) {
      return false;
    }
    String[] parts = builtAgainst.trim().split("\\.", -1);
    if (parts.length != 2) {
      return false;
    }
    try {
      return Integer.parseInt(parts[0]) == MAJOR && Integer.parseInt(parts[1]) <= MINOR;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}

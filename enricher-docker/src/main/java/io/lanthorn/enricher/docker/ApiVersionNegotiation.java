package io.lanthorn.enricher.docker;

/**
 * Chooses the Engine API version to speak, from what the daemon says in {@code GET /version}.
 *
 * <p>docker-java 3.7 is written against API 1.44; Debian 12's daemon speaks 1.41 and rejects
 * requests for newer versions, while very new daemons drop old ones. So the client asks {@code
 * /version} without a version prefix (which every daemon answers in its own current version) and
 * then pins itself to the newest version both sides know. A daemon whose answer cannot be read is
 * spoken to without a prefix: a version mismatch is never a reason not to attribute.
 */
final class ApiVersionNegotiation {
  /** The newest Engine API docker-java's models are written for. */
  static final ApiVersion CLIENT_MAX = new ApiVersion(1, 44);

  private ApiVersionNegotiation() {}

  /**
   * The version to pin the client to.
   *
   * @param daemonVersion the daemon's {@code ApiVersion}, its newest
   * @param daemonMinimum the daemon's {@code MinAPIVersion}, its oldest; may be {@code null}
   * @param clientMax the newest version the client knows
   * @return the version, or {@code null} to send requests without a version prefix
   */
  static ApiVersion choose(String daemonVersion, String daemonMinimum, ApiVersion clientMax) {
    ApiVersion daemon = ApiVersion.parse(daemonVersion);
    if (daemon == null) {
      return null;
    }
    ApiVersion chosen = ApiVersion.min(daemon, clientMax);
    ApiVersion minimum = ApiVersion.parse(daemonMinimum);
    if (minimum != null && chosen.compareTo(minimum) < 0) {
      // A daemon newer than the client by more than it keeps compatibility for: speak its oldest
      // version, the closest to ours; docker-java ignores fields it does not know.
      chosen = minimum;
    }
    return chosen;
  }
}

package io.lanthorn.api;

import java.util.Map;

/**
 * Attribute keys the core plugins set, named after OpenTelemetry's semantic conventions where one
 * exists. Sinks may rely on these; third-party enrichers may set them too.
 */
public final class StandardAttributes {
  private StandardAttributes() {}

  /** The full 64-hex-digit container id. */
  public static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");

  /** The container's name, without Docker's leading slash. */
  public static final AttributeKey<String> CONTAINER_NAME =
      AttributeKey.stringKey("container.name");

  /** The container runtime that named the container, e.g. {@code docker}. */
  public static final AttributeKey<String> CONTAINER_RUNTIME =
      AttributeKey.stringKey("container.runtime");

  /** The image as the container was created from it, e.g. {@code nginx:1.27}. */
  public static final AttributeKey<String> CONTAINER_IMAGE_NAME =
      AttributeKey.stringKey("container.image.name");

  /** The image's content id, e.g. {@code sha256:…}. */
  public static final AttributeKey<String> CONTAINER_IMAGE_ID =
      AttributeKey.stringKey("container.image.id");

  /** The container's labels. */
  public static final AttributeKey<Map<String, String>> CONTAINER_LABELS =
      AttributeKey.stringMapKey("container.labels");

  /** The Docker Compose project ({@code com.docker.compose.project} label). */
  public static final AttributeKey<String> COMPOSE_PROJECT =
      AttributeKey.stringKey("docker.compose.project");

  /** The Docker Compose service ({@code com.docker.compose.service} label). */
  public static final AttributeKey<String> COMPOSE_SERVICE =
      AttributeKey.stringKey("docker.compose.service");

  /**
   * Whether and why container attribution succeeded: one of the {@code ATTRIBUTION_*} values below.
   */
  public static final AttributeKey<String> ATTRIBUTION_STATUS =
      AttributeKey.stringKey("lanthorn.attribution.status");

  /** {@link #ATTRIBUTION_STATUS}: the container was named. */
  public static final String ATTRIBUTION_ATTRIBUTED = "attributed";

  /** {@link #ATTRIBUTION_STATUS}: the process does not run in a container. */
  public static final String ATTRIBUTION_NOT_IN_CONTAINER = "not_in_container";

  /** {@link #ATTRIBUTION_STATUS}: a container, but the runtime does not know it. */
  public static final String ATTRIBUTION_UNKNOWN_CONTAINER = "unknown_container";

  /** {@link #ATTRIBUTION_STATUS}: the container runtime could not be asked. */
  public static final String ATTRIBUTION_RUNTIME_UNAVAILABLE = "runtime_unavailable";

  /** The process's executable path, when an enricher could read it. */
  public static final AttributeKey<String> PROCESS_EXECUTABLE_PATH =
      AttributeKey.stringKey("process.executable.path");

  /**
   * The domain the connection's own process (or, failing that, the host) resolved for its
   * destination, from observed DNS answers (the Rust Lanthorn's {@code events.domain_name}). Not
   * {@code server.address}: the vocabulary gives that name to the destination address itself.
   */
  public static final AttributeKey<String> DOMAIN_NAME =
      AttributeKey.stringKey("lanthorn.domain_name");

  /**
   * Whether a threat-intelligence feed lists the event's destination or name: {@code true} when one
   * does, {@code false} when the feeds were checked and none does, absent when nothing checked.
   * SQLite's {@code events.is_threat}.
   */
  public static final AttributeKey<Boolean> THREAT_MATCHED =
      AttributeKey.booleanKey("lanthorn.threat.matched");

  /** The feeds that list it, comma-separated, e.g. {@code feodo}: {@code events.threat_source}. */
  public static final AttributeKey<String> THREAT_SOURCE =
      AttributeKey.stringKey("lanthorn.threat.source");

  /** The feed entry that matched, e.g. {@code 203.0.113.0/24} or {@code evil.example}. */
  public static final AttributeKey<String> THREAT_INDICATOR =
      AttributeKey.stringKey("lanthorn.threat.indicator");
}

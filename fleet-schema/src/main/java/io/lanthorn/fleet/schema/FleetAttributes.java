package io.lanthorn.fleet.schema;

import io.lanthorn.api.AttributeKey;

/**
 * The attributes a fleet adds to every event, named after OpenTelemetry's {@code host.*}
 * conventions. Until the api's event header carries the host, they travel as attributes.
 */
public final class FleetAttributes {
  private FleetAttributes() {}

  /** The name of the host that captured the event ({@code --host-name}, else the hostname). */
  public static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");

  /** The host's stable id ({@code /etc/machine-id} unless configured). */
  public static final AttributeKey<String> HOST_ID = AttributeKey.stringKey("host.id");

  /**
   * The event's stable id, {@link EventId}: the same for every copy of one event, so a store
   * recognises a replayed one.
   */
  public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("lanthorn.event.id");
}

package io.lanthorn.fleet.schema;

import io.lanthorn.api.AttributeKey;

/**
 * The attributes a fleet adds to every event it carries. The host's name is the header's ({@link
 * io.lanthorn.api.EventHeader#hostName()}); its stable id and the event's id travel as attributes.
 */
public final class FleetAttributes {
  private FleetAttributes() {}

  /** The host's stable id ({@code /etc/machine-id} unless configured). */
  public static final AttributeKey<String> HOST_ID = AttributeKey.stringKey("host.id");

  /**
   * The event's stable id, {@link EventId}: the same for every copy of one event, so a store
   * recognises a replayed one.
   */
  public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("lanthorn.event.id");
}

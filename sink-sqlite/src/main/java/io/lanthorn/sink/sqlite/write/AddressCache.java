package io.lanthorn.sink.sqlite.write;

import io.lanthorn.api.AddressText;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers recently seen addresses as text (the summary and rollups key on it) and as {@code
 * event_rows} stores them ({@link EventCodes#address}): a host talks to few addresses, and
 * formatting one allocates. Not thread-safe: the sink's writing thread only.
 */
final class AddressCache {
  private static final int MAX_SIZE = 4096;
  private final Map<InetAddress, Address> addresses = new HashMap<>();

  /** An address as text and as stored. */
  record Address(String text, Object stored) {}

  /** The address, formatted once while it stays in the cache. */
  Address of(InetAddress address) {
    Address known = addresses.get(address);
    if (known == null) {
      if (addresses.size() >= MAX_SIZE) {
        addresses.clear();
      }
      String text = AddressText.of(address);
      known = new Address(text, EventCodes.address(address, text));
      addresses.put(address, known);
    }
    return known;
  }
}

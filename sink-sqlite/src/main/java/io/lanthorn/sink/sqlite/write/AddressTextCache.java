package io.lanthorn.sink.sqlite.write;

import io.lanthorn.api.AddressText;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the {@link AddressText} of addresses seen recently: a host talks to few addresses, and
 * formatting one allocates. Not thread-safe: the sink's writing thread only.
 */
final class AddressTextCache {
  private static final int MAX_SIZE = 4096;
  private final Map<InetAddress, String> texts = new HashMap<>();

  /** The text of the address, formatted once while it stays in the cache. */
  String of(InetAddress address) {
    String text = texts.get(address);
    if (text == null) {
      if (texts.size() >= MAX_SIZE) {
        texts.clear();
      }
      text = AddressText.of(address);
      texts.put(address, text);
    }
    return text;
  }
}

package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommCacheTest {
  private final MemorySegment field = Arena.ofAuto().allocate(CommCache.CAPACITY + 3);
  private final CommCache cache = new CommCache(4);

  /** Writes {@code name} at offset 3 (unaligned, as nothing guarantees), then {@code garbage}. */
  private void put(String name, byte garbage) {
    field.fill(garbage);
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    MemorySegment.copy(bytes, 0, field, JAVA_BYTE, 3, bytes.length);
    if (bytes.length < CommCache.CAPACITY) {
      field.set(JAVA_BYTE, 3 + bytes.length, (byte) 0);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sh",
        "curl123",
        "java8901",
        "connect_storm",
        "fifteen-chars-x",
        "sixteen-chars-xy"
      })
  void readsNamesOfEveryLength(String name) {
    put(name, (byte) 'z');

    assertThat(cache.get(field, 3)).isEqualTo(name);
    assertThat(cache.get(field, 3)).isSameAs(cache.get(field, 3));
  }

  @Test
  void bytesAfterTheNulDoNotMatter() {
    put("curl", (byte) 'a');
    String first = cache.get(field, 3);
    put("curl", (byte) 'b');

    assertThat(cache.get(field, 3)).isSameAs(first);
  }

  @Test
  void namesThatShareASlotAreStillToldApart() {
    String[] names = {"a", "b", "c", "d", "e", "f", "g", "h", "curl", "wget"};
    for (int round = 0; round < 2; round++) {
      for (String name : names) {
        put(name, (byte) 0);
        assertThat(cache.get(field, 3)).isEqualTo(name);
      }
    }
  }

  @Test
  void decodesUtf8() {
    put("zürich", (byte) 0);

    assertThat(cache.get(field, 3)).isEqualTo("zürich");
  }
}

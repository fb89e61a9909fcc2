package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttributesJsonTest {
  @Test
  void readsBackTheLabelsItWrote() {
    Map<String, String> labels = Map.of("b", "2", "a", "say \"hi\" ü", "empty", "");

    assertThat(AttributesJson.readMap(AttributesJson.of(labels))).isEqualTo(labels);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{\"a\":1}", "{\"a\":\"1\"} x", "{\"a\":{}}", "not json"})
  void readsNothingElse(String text) {
    assertThat(AttributesJson.readMap(text)).isNull();
  }
}

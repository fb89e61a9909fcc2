package io.lanthorn.sink.sqlite.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AttributesJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelsJsonTest {
  @Test
  void readsBackTheLabelsItWrote() {
    Map<String, String> labels = Map.of("b", "2", "a", "say \"hi\" ü", "empty", "");

    assertThat(LabelsJson.read(AttributesJson.ofMap(labels))).isEqualTo(labels);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{\"a\":1}", "{\"a\":\"1\"} x", "{\"a\":{}}", "not json"})
  void readsNothingElse(String text) {
    assertThat(LabelsJson.read(text)).isNull();
  }
}

package io.lanthorn.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttributesJsonTest {

  @Test
  void everyTypeKeepsItsJsonTypeAndKeysAreSorted() {
    Attributes attributes =
        Attributes.builder()
            .put(AttributeKey.stringKey("z.text"), "a \"quoted\" \\ line\nü\u0001")
            .put(AttributeKey.longKey("b.count"), -3L)
            .put(AttributeKey.doubleKey("c.score"), 0.5)
            .put(AttributeKey.booleanKey("a.flag"), true)
            .put(AttributeKey.stringMapKey("d.labels"), Map.of("y", "2", "x", "1"))
            .build();

    assertThat(AttributesJson.of(attributes))
        .isEqualTo(
            "{\"a.flag\":true,\"b.count\":-3,\"c.score\":0.5,\"d.labels\":{\"x\":\"1\",\"y\":\"2\"},"
                + "\"z.text\":\"a \\\"quoted\\\" \\\\ line\\nü\\u0001\"}");
  }

  @Test
  void noAttributesIsAnEmptyObjectOrNothingLeft() {
    assertThat(AttributesJson.of(Attributes.empty())).isEqualTo("{}");
    Attributes stored = Attributes.builder().put(StandardAttributes.CONTAINER_NAME, "web").build();
    assertThat(AttributesJson.except(stored, Set.of(StandardAttributes.CONTAINER_NAME))).isNull();
    assertThat(AttributesJson.except(stored, Set.of())).isEqualTo("{\"container.name\":\"web\"}");
  }

  @Test
  void aMapIsAnObjectWithSortedKeys() {
    assertThat(AttributesJson.ofMap(Map.of("b", "2", "a", "1")))
        .isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(AttributesJson.ofMap(null)).isNull();
  }

  @Test
  void aNonFiniteDoubleIsWrittenAsText() {
    Attributes attributes =
        Attributes.builder().put(AttributeKey.doubleKey("x"), Double.NaN).build();
    assertThat(AttributesJson.of(attributes)).isEqualTo("{\"x\":\"NaN\"}");
  }
}

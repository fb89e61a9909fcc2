package io.lanthorn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesTest {
  private static final AttributeKey<String> NAME = AttributeKey.stringKey("test.name");
  private static final AttributeKey<Long> COUNT = AttributeKey.longKey("test.count");
  private static final AttributeKey<Map<String, String>> LABELS =
      AttributeKey.stringMapKey("test.labels");

  @Test
  void withAddsReplacesAndRemovesOneFactLeavingTheOriginalAlone() {
    Attributes two = Attributes.builder().put(NAME, "a").put(COUNT, 1L).build();

    Attributes added = two.with(AttributeKey.booleanKey("test.flag"), true);
    Attributes replaced = two.with(NAME, "b");
    Attributes removed = two.with(NAME, null);

    assertThat(added.size()).isEqualTo(3);
    assertThat(added.get(AttributeKey.booleanKey("test.flag"))).isTrue();
    assertThat(replaced.get(NAME)).isEqualTo("b");
    assertThat(replaced.get(COUNT)).isEqualTo(1L);
    assertThat(removed.contains(NAME)).isFalse();
    assertThat(removed.get(COUNT)).isEqualTo(1L);
    assertThat(removed.with(COUNT, null)).isSameAs(Attributes.empty());
    assertThat(two.with(AttributeKey.stringKey("test.absent"), null)).isSameAs(two);
    assertThat(two.get(NAME)).isEqualTo("a");
    assertThat(two.size()).isEqualTo(2);
  }

  @Test
  void keepsInsertionOrderAndEqualsAsAMapDoes() {
    Attributes ab = Attributes.builder().put(NAME, "a").put(COUNT, 1L).build();
    Attributes ba = Attributes.empty().with(COUNT, 1L).with(NAME, "a");

    List<String> order = new java.util.ArrayList<>();
    ab.forEach((key, value) -> order.add(key.name()));
    assertThat(order).containsExactly("test.name", "test.count");
    assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
    assertThat(ab.hashCode()).isEqualTo(ab.asMap().hashCode());
    assertThat(ab.asMap()).containsExactly(Map.entry(NAME, "a"), Map.entry(COUNT, 1L));
    assertThat(ab.toBuilder().put(NAME, "c").build().get(NAME)).isEqualTo("c");
    // A key made again with the same name and type finds the value.
    assertThat(ab.get(AttributeKey.stringKey("test.name"))).isEqualTo("a");
  }

  @Test
  void checksTypesAndCopiesMapsOnTheOneFactPathToo() {
    Map<String, String> labels = new HashMap<>(Map.of("team", "x"));
    Attributes withLabels = Attributes.empty().with(LABELS, labels);
    labels.put("team", "y");

    assertThat(withLabels.get(LABELS)).containsEntry("team", "x");
    @SuppressWarnings({"unchecked", "rawtypes"})
    AttributeKey<Object> raw = (AttributeKey) NAME;
    assertThatThrownBy(() -> Attributes.empty().with(raw, 7))
        .hasMessageContaining("test.name expects");
  }
}

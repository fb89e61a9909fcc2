package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainSetTest {
  @Test
  void matchesTheMostSpecificListedParentInAnyCaseWithOrWithoutTheTrailingDot() {
    DomainSet set = DomainSet.of(Set.of("evil.example", "a.evil.example", "Upper.TEST"));

    assertThat(set.match("x.a.evil.example")).isEqualTo("a.evil.example");
    assertThat(set.match("b.evil.example")).isEqualTo("evil.example");
    assertThat(set.match("X.A.EVIL.EXAMPLE.")).isEqualTo("a.evil.example");
    assertThat(set.match("www.upper.test")).isEqualTo("upper.test");
    assertThat(set.match("evil.example")).isEqualTo("evil.example");
    assertThat(set.match("notevil.example")).isNull();
    assertThat(set.match("example")).isNull();
    assertThat(set.match(".")).isNull();
    assertThat(set.match("")).isNull();
    assertThat(set.list())
        .containsExactlyInAnyOrder("evil.example", "a.evil.example", "upper.test");
  }

  @Test
  void agreesWithAHashSetOfParentsOnManyNames() {
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      listed.add("h" + i + ".d" + (i % 97) + ".example");
    }
    DomainSet set = DomainSet.of(listed);
    for (int i = 0; i < 20_000; i++) {
      String name = "w" + (i % 3) + ".h" + (i % 7000) + ".d" + (i % 101) + ".example";
      String expected = null;
      for (String candidate = name; ; ) {
        if (listed.contains(candidate)) {
          expected = candidate;
          break;
        }
        int dot = candidate.indexOf('.');
        if (dot < 0) {
          break;
        }
        candidate = candidate.substring(dot + 1);
      }
      assertThat(set.match(name)).as(name).isEqualTo(expected);
    }
  }
}

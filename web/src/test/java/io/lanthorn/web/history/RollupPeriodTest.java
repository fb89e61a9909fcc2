package io.lanthorn.web.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.web.history.RollupPeriod.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The overview's plan of a period over the rollup tiers: the same cases as sink-sqlite's {@code
 * QueryRollupsTest}, whose planner this one mirrors.
 */
class RollupPeriodTest {
  private static final long M = RollupPeriod.MINUTE_NS;
  private static final long F = RollupPeriod.FIVE_MINUTES_NS;
  private static final long H = RollupPeriod.HOUR_NS;
  private static final long D = RollupPeriod.DAY_NS;
  private static final long BASE = 1_000 * D;

  private static List<Range> plan(long from, long to, Long... oldest) {
    return RollupPeriod.plan(from, to, new long[] {M, F, H, D}, oldest);
  }

  @Test
  void aPeriodReadsTheCoarsestBucketsThatFitInside() {
    assertThat(plan(BASE + 17 * M + 30, BASE + H + 17 * M + 30, 0L, 0L, 0L, 0L))
        .containsExactly(
            new Range(0, BASE + 17 * M, BASE + 20 * M),
            new Range(1, BASE + 20 * M, BASE + H + 15 * M),
            new Range(0, BASE + H + 15 * M, BASE + H + 18 * M));
    assertThat(plan(BASE + 5 * H + 17 * M + 30, BASE + 7 * D + 14 * H + 10, 0L, 0L, 0L, 0L))
        .containsExactly(
            new Range(2, BASE + 5 * H, BASE + D),
            new Range(3, BASE + D, BASE + 7 * D),
            new Range(2, BASE + 7 * D, BASE + 7 * D + 15 * H));
  }

  @Test
  void theFullRowsHaveNoFiveMinuteTier() {
    assertThat(
            RollupPeriod.plan(
                BASE + 17 * M + 30,
                BASE + H + 17 * M + 30,
                new long[] {M, H, D},
                new Long[] {0L, 0L, 0L}))
        .containsExactly(new Range(0, BASE + 17 * M, BASE + H + 18 * M));
  }

  @Test
  void whereATiersRowsAreGoneThePeriodStartsAtTheNextCoarserOne() {
    assertThat(plan(BASE + 17 * M, BASE + 5 * H + 10 * M, BASE + 2 * H, BASE + 2 * H, 0L, 0L))
        .containsExactly(
            new Range(2, BASE, BASE + 5 * H), new Range(1, BASE + 5 * H, BASE + 5 * H + 10 * M));
    assertThat(plan(BASE + 17 * M, BASE + 5 * H + 10 * M, null, null, 0L, 0L))
        .containsExactly(new Range(2, BASE, BASE + 6 * H));
    assertThat(plan(BASE + 5 * H, BASE + 7 * D + 3 * H, 0L, 0L, BASE + 2 * D, 0L))
        .containsExactly(
            new Range(3, BASE, BASE + 7 * D), new Range(2, BASE + 7 * D, BASE + 7 * D + 3 * H));
  }
}

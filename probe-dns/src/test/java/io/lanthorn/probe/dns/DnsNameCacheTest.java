package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DnsNameCacheTest {
  private static final long T0 = 1_000_000_000_000_000_000L; // any instant; no real clock involved
  private static final long SECOND = 1_000_000_000L;
  private static final long WEB = 11;
  private static final long WORKER = 22;
  private final InetAddress cdn = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
  private final DnsNameCache cache = new DnsNameCache(4, Duration.ofSeconds(60));

  DnsNameCacheTest() throws Exception {}

  @Test
  void eachContainerGetsTheNameItResolved() {
    cache.put(WEB, cdn, "api.lanthorn.test", 300, T0);
    cache.put(WORKER, cdn, "static.lanthorn.test", 300, T0 + SECOND);

    assertThat(cache.lookup(WEB, cdn, T0 + 2 * SECOND)).contains("api.lanthorn.test");
    assertThat(cache.lookup(WORKER, cdn, T0 + 2 * SECOND)).contains("static.lanthorn.test");
    assertThat(cache.hits()).isEqualTo(2);
  }

  @Test
  void anotherCgroupFallsBackToTheHostWideLatest() {
    cache.put(WEB, cdn, "api.lanthorn.test", 300, T0);
    cache.put(WORKER, cdn, "static.lanthorn.test", 300, T0 + SECOND);

    assertThat(cache.lookup(33, cdn, T0 + 2 * SECOND)).contains("static.lanthorn.test");
    assertThat(cache.hostWideHits()).isEqualTo(1);
  }

  @Test
  void theSameContainersLatestAnswerWins() {
    cache.put(WEB, cdn, "old.lanthorn.test", 300, T0);
    cache.put(WEB, cdn, "new.lanthorn.test", 300, T0 + SECOND);
    // Handled late, but older: it must not replace the newer answer.
    cache.put(WEB, cdn, "older.lanthorn.test", 300, T0 - SECOND);

    assertThat(cache.lookup(WEB, cdn, T0 + 2 * SECOND)).contains("new.lanthorn.test");
  }

  @Test
  void aShortTtlLastsTheFloorAndAnAnswerExpires() {
    cache.put(WEB, cdn, "short.lanthorn.test", 1, T0);

    assertThat(cache.lookup(WEB, cdn, T0 + 59 * SECOND)).contains("short.lanthorn.test");
    assertThat(cache.lookup(WEB, cdn, T0 + 61 * SECOND)).isEmpty();

    cache.put(WEB, cdn, "long.lanthorn.test", 3600, T0);
    assertThat(cache.lookup(WEB, cdn, T0 + 3599 * SECOND)).contains("long.lanthorn.test");
    assertThat(cache.lookup(WEB, cdn, T0 + 3601 * SECOND)).isEmpty();
    assertThat(cache.misses()).isEqualTo(2);
  }

  @Test
  void anAnswerArrivingLongAfterTheConnectionDoesNotNameIt() {
    cache.put(WEB, cdn, "later.lanthorn.test", 300, T0 + 10 * SECOND);

    assertThat(cache.lookup(WEB, cdn, T0)).isEmpty();
  }

  @Test
  void staysWithinItsBoundDroppingTheLeastRecentlyUsed() throws Exception {
    for (int i = 0; i < 10; i++) {
      cache.put(WEB, InetAddress.getByAddress(new byte[] {10, 0, 1, (byte) i}), "n" + i, 300, T0);
    }

    assertThat(cache.size()).isEqualTo(4);
    assertThat(cache.lookup(WEB, InetAddress.getByAddress(new byte[] {10, 0, 1, 9}), T0))
        .contains("n9");
    assertThat(cache.lookup(WEB, InetAddress.getByAddress(new byte[] {10, 0, 1, 0}), T0)).isEmpty();
  }
}

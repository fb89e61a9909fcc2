package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpRangesTest {
  private static InetAddress ip(String text) {
    return Addresses.literal(text);
  }

  @Test
  void nestedRangesKeepTheWidestAndAdjacentOnesKeepTheirOwnName() {
    IpRanges ranges =
        new IpRanges.Builder()
            .add(ip("10.0.0.0"), 8, "10.0.0.0/8")
            .add(ip("10.1.0.0"), 16, "10.1.0.0/16")
            .add(ip("192.0.2.0"), 25, "192.0.2.0/25")
            .add(ip("192.0.2.128"), 25, "192.0.2.128/25")
            .build();

    assertThat(ranges.size()).isEqualTo(3);
    assertThat(ranges.match(ip("10.200.0.1"))).isEqualTo("10.0.0.0/8");
    assertThat(ranges.match(ip("10.1.2.3"))).isEqualTo("10.0.0.0/8");
    assertThat(ranges.match(ip("192.0.2.127"))).isEqualTo("192.0.2.0/25");
    assertThat(ranges.match(ip("192.0.2.128"))).isEqualTo("192.0.2.128/25");
    assertThat(ranges.match(ip("11.0.0.0"))).isNull();
    assertThat(ranges.match(ip("9.255.255.255"))).isNull();
  }

  @Test
  void ipv4MappedIpv6MatchesIpv4EntriesAndFamiliesStayApart() {
    IpRanges ranges =
        new IpRanges.Builder()
            .add(ip("127.0.0.77"), 32, "127.0.0.77")
            .add(ip("2001:db8::"), 32, "2001:db8::/32")
            .add(ip("::"), 0, "::/0-is-not-ipv4")
            .build();

    assertThat(ranges.match(ip("::ffff:127.0.0.77"))).isEqualTo("::/0-is-not-ipv4");
    IpRanges v4 = new IpRanges.Builder().add(ip("127.0.0.77"), 32, "127.0.0.77").build();
    assertThat(v4.match(ip("::ffff:127.0.0.77"))).isEqualTo("127.0.0.77");
    assertThat(v4.match(ip("::7f00:4d"))).isNull(); // IPv4-compatible form is another address
    IpRanges everyV4 = new IpRanges.Builder().add(ip("0.0.0.0"), 0, "0.0.0.0/0").build();
    assertThat(everyV4.match(ip("255.255.255.255"))).isEqualTo("0.0.0.0/0");
    assertThat(everyV4.match(ip("2001:db8::1"))).isNull();
    assertThat(ranges.match(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")))
        .isEqualTo("::/0-is-not-ipv4");
  }

  @Test
  void theBucketIndexAnswersAsOneBinarySearchDoesAcrossFamiliesAndSliceEdges() {
    Random random = new Random(7);
    IpRanges.Builder builder = new IpRanges.Builder();
    // Wide ranges spanning many slices, IPv6 ones, ::/96 and mapped-block edges, many IPv4.
    builder.add(ip("10.0.0.0"), 8, "10.0.0.0/8");
    builder.add(ip("::"), 100, "::/100");
    builder.add(ip("::fffe:0:0"), 96, "::fffe:0:0/96");
    builder.add(ip("::1:0:0:0"), 80, "::1:0:0:0/80");
    builder.add(ip("2001:db8::"), 32, "2001:db8::/32");
    builder.add(ip("fe80::"), 10, "fe80::/10");
    for (int i = 0; i < 5000; i++) {
      long address = random.nextLong(1L << 32);
      int prefix = 12 + random.nextInt(21);
      builder.add(ip(v4(address)), prefix, v4(address) + "/" + prefix);
      byte[] v6 = new byte[16];
      random.nextBytes(v6);
      builder.add(inetAddress(v6), 16 + random.nextInt(113), "v6-" + i);
    }
    IpRanges indexed = builder.build();
    IpRanges plain = builder.buildUnindexed();
    assertThat(indexed.size()).isGreaterThan(IpRanges.INDEX_FROM);
    List<String> probes =
        new ArrayList<>(
            List.of(
                "::",
                "::1",
                "::ffff:0.0.0.0",
                "::ffff:255.255.255.255",
                "::1:0:0:0",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "0.0.0.0",
                "255.255.255.255",
                "10.255.255.255",
                "11.0.0.0"));
    for (int i = 0; i < 20_000; i++) {
      probes.add(v4(random.nextLong(1L << 32)));
      byte[] v6 = new byte[16];
      random.nextBytes(v6);
      probes.add(inetAddress(v6).getHostAddress());
    }
    for (String probe : probes) {
      assertThat(indexed.match(ip(probe))).as(probe).isEqualTo(plain.match(ip(probe)));
    }
    assertThat(indexed.match(ip("10.1.2.3"))).isEqualTo("10.0.0.0/8");
  }

  private static java.net.InetAddress inetAddress(byte[] bytes) {
    try {
      return java.net.InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void agreesWithALinearScanOnRandomRanges() {
    Random random = new Random(12);
    IpRanges.Builder builder = new IpRanges.Builder();
    List<long[]> plain = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      long address = random.nextLong(1L << 32);
      int prefix = 8 + random.nextInt(25);
      long mask = (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
      builder.add(ip(v4(address)), prefix, v4(address) + "/" + prefix);
      plain.add(new long[] {address & mask, (address & mask) | (~mask & 0xffff_ffffL)});
    }
    IpRanges ranges = builder.build();
    for (int i = 0; i < 20_000; i++) {
      long probe = random.nextLong(1L << 32);
      boolean expected = plain.stream().anyMatch(r -> r[0] <= probe && probe <= r[1]);
      String hit = ranges.match(ip(v4(probe)));
      assertThat(hit != null).as("probe %s", v4(probe)).isEqualTo(expected);
      if (hit != null) {
        // The entry named really holds the address.
        int slash = hit.indexOf('/');
        long start = toLong(hit.substring(0, slash));
        int prefix = Integer.parseInt(hit.substring(slash + 1));
        long mask = (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
        assertThat(probe & mask).isEqualTo(start & mask);
      }
    }
  }

  private static String v4(long address) {
    return (address >>> 24 & 0xff)
        + "."
        + (address >>> 16 & 0xff)
        + "."
        + (address >>> 8 & 0xff)
        + "."
        + (address & 0xff);
  }

  private static long toLong(String dotted) {
    long value = 0;
    for (byte b : ip(dotted).getAddress()) {
      value = value << 8 | (b & 0xff);
    }
    return value;
  }
}

package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.lanthorn.probe.dns.DnsParser.Parsed;
import io.lanthorn.probe.dns.DnsParser.Result;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated packets: the parser must return a result for each (never throw, never loop),
 * and what it returns must respect the bounds it promises. Seeded, so a failure reproduces.
 */
class DnsParserFuzzTest {
  private static final long SEED = 0x1a27_4011L;
  private static final int ROUNDS = 200_000;

  private static List<byte[]> seeds() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(
        DnsPackets.response(1, 0, "www.lanthorn.test", 1, 3)
            .cname("www.lanthorn.test", 60, "edge.cdn.test")
            .address("edge.cdn.test", 20, InetAddress.ofLiteral("10.0.0.1"))
            .address("edge.cdn.test", 20, InetAddress.ofLiteral("10.0.0.2"))
            .bytes());
    seeds.add(
        DnsPackets.response(2, 0, "v6.lanthorn.test", 28, 1)
            .address("v6.lanthorn.test", 5, InetAddress.ofLiteral("2001:db8::1"))
            .bytes());
    seeds.add(DnsPackets.response(3, 3, "nx.lanthorn.test", 1, 0).bytes());
    seeds.add(
        DnsPackets.response(4, 0, "txt.lanthorn.test", 16, 1, false)
            .other("txt.lanthorn.test", 16, 30, new byte[] {3, 'a', 'b', 'c'})
            .bytes());
    return seeds;
  }

  @Test
  void neverThrowsOnMutatedOrRandomPackets() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    List<byte[]> seeds = seeds();
    int parsed = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] packet =
          round % 4 == 0
              ? randomBytes(random)
              : mutate(seeds.get(random.nextInt(seeds.size())), random);
      byte[] input = packet;
      Result[] result = new Result[2];
      assertThatCode(
              () -> {
                result[0] = DnsParser.parseUdp(input);
                result[1] = DnsParser.parseTcp(input, input.length + (input.length % 3));
              })
          .as("packet %s", Arrays.toString(input))
          .doesNotThrowAnyException();
      for (Result r : result) {
        assertThat(r).isNotNull();
        if (r instanceof Parsed(DnsMessage m)) {
          parsed++;
          assertThat(m.questionName().length()).isLessThanOrEqualTo(255 * 4);
          assertThat(m.answers().size()).isLessThanOrEqualTo(input.length / 11 + 1);
          m.resolutions().forEach(res -> assertThat(res.ttlSeconds()).isNotNegative());
        }
      }
    }
    // The mutations keep enough packets readable to exercise the answer paths too.
    assertThat(parsed).isGreaterThan(ROUNDS / 10);
  }

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(600)];
    random.nextBytes(bytes);
    if (bytes.length > 2) {
      bytes[2] |= (byte) 0x80; // mostly "responses", to get past the first check
    }
    return bytes;
  }

  private static byte[] mutate(byte[] seed, SplittableRandom random) {
    byte[] p = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      switch (random.nextInt(5)) {
        case 0 -> p[random.nextInt(p.length)] = (byte) random.nextInt(256);
        case 1 -> p = Arrays.copyOf(p, random.nextInt(p.length + 1));
        case 2 -> {
          // A compression pointer anywhere, to anywhere.
          if (p.length > 14) {
            int at = 12 + random.nextInt(p.length - 13);
            p[at] = (byte) (0xc0 | random.nextInt(64));
            p[at + 1] = (byte) random.nextInt(256);
          }
        }
        case 3 -> {
          // Counts that lie.
          if (p.length > 8) {
            p[6 + random.nextInt(2)] = (byte) random.nextInt(256);
          }
        }
        default -> {
          // A length byte that lies.
          if (p.length > 13) {
            p[12 + random.nextInt(p.length - 12)] = (byte) random.nextInt(70);
          }
        }
      }
      if (p.length == 0) {
        break;
      }
    }
    return p;
  }
}

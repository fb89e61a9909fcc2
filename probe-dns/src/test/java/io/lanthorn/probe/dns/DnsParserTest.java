package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.probe.dns.DnsParser.Failure;
import io.lanthorn.probe.dns.DnsParser.Malformed;
import io.lanthorn.probe.dns.DnsParser.Parsed;
import io.lanthorn.probe.dns.DnsParser.Result;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsParserTest {

  private static DnsMessage parsed(Result result) {
    assertThat(result).isInstanceOf(Parsed.class);
    return ((Parsed) result).message();
  }

  @Test
  void readsACompressedAAnswer() throws Exception {
    byte[] packet =
        DnsPackets.response(7, 0, "Api.Lanthorn.TEST", 1, 1)
            .address("Api.Lanthorn.TEST", 300, InetAddress.ofLiteral("10.1.2.3"))
            .bytes();

    DnsMessage m = parsed(DnsParser.parseUdp(packet));

    assertThat(m.id()).isEqualTo(7);
    assertThat(m.questionName()).isEqualTo("api.lanthorn.test");
    assertThat(m.questionType()).isEqualTo(DnsMessage.TYPE_A);
    assertThat(m.responseCodeName()).isEqualTo("NOERROR");
    assertThat(m.complete()).isTrue();
    assertThat(m.resolutions())
        .containsExactly(new DnsMessage.Resolution(InetAddress.ofLiteral("10.1.2.3"), 300));
  }

  @Test
  void followsACnameChainInAnyOrder() throws Exception {
    byte[] packet =
        DnsPackets.response(1, 0, "www.lanthorn.test", 28, 4)
            .address("edge.cdn.test", 20, InetAddress.ofLiteral("2001:db8::7"))
            .cname("alias.cdn.test", 60, "edge.cdn.test")
            .cname("www.lanthorn.test", 3600, "alias.cdn.test")
            .address("unrelated.test", 20, InetAddress.ofLiteral("2001:db8::9"))
            .bytes();

    DnsMessage m = parsed(DnsParser.parseUdp(packet));

    assertThat(m.answers()).hasSize(4);
    assertThat(m.answers().get(1).target()).isEqualTo("edge.cdn.test");
    assertThat(m.resolutions())
        .containsExactly(new DnsMessage.Resolution(InetAddress.ofLiteral("2001:db8::7"), 20));
  }

  @Test
  void aCnameLoopEnds() throws Exception {
    byte[] packet =
        DnsPackets.response(1, 0, "a.test", 1, 3)
            .cname("a.test", 60, "b.test")
            .cname("b.test", 60, "a.test")
            .address("b.test", 60, InetAddress.ofLiteral("10.0.0.2"))
            .bytes();

    assertThat(parsed(DnsParser.parseUdp(packet)).resolutions()).hasSize(1);
  }

  @Test
  void readsNxdomainAndServfail() {
    DnsMessage nx = parsed(DnsParser.parseUdp(DnsPackets.response(2, 3, "no.test", 1, 0).bytes()));
    DnsMessage fail =
        parsed(DnsParser.parseUdp(DnsPackets.response(3, 2, "down.test", 28, 0).bytes()));

    assertThat(nx.responseCodeName()).isEqualTo("NXDOMAIN");
    assertThat(nx.resolutions()).isEmpty();
    assertThat(fail.responseCodeName()).isEqualTo("SERVFAIL");
  }

  @Test
  void keepsTheAnswersBeforeACut() throws Exception {
    byte[] packet =
        DnsPackets.response(4, 0, "many.test", 1, 2)
            .address("many.test", 60, InetAddress.ofLiteral("10.0.0.1"))
            .address("many.test", 60, InetAddress.ofLiteral("10.0.0.2"))
            .bytes();

    DnsMessage m = parsed(DnsParser.parseUdp(Arrays.copyOf(packet, packet.length - 2)));

    assertThat(m.complete()).isFalse();
    assertThat(m.resolutions()).hasSize(1);
  }

  @Test
  void refusesWhatIsNotAResponse() {
    assertThat(DnsParser.parseUdp(DnsPackets.query(1, "q.test", 1)))
        .isEqualTo(new Malformed(Failure.NOT_A_RESPONSE));
    assertThat(DnsParser.parseUdp(new byte[5])).isEqualTo(new Malformed(Failure.SHORT));
    byte[] noQuestion = DnsPackets.response(1, 0, "x.test", 1, 0).bytes();
    noQuestion[5] = 0;
    assertThat(DnsParser.parseUdp(noQuestion)).isEqualTo(new Malformed(Failure.NO_QUESTION));
  }

  @Test
  void refusesPointerLoopsAndForwardPointers() {
    byte[] self = DnsPackets.response(1, 0, "x.test", 1, 0).bytes();
    // The question name becomes a pointer to itself.
    self[12] = (byte) 0xc0;
    self[13] = 12;
    assertThat(DnsParser.parseUdp(self)).isEqualTo(new Malformed(Failure.BAD_NAME));

    byte[] forward = self.clone();
    forward[13] = 20;
    assertThat(DnsParser.parseUdp(forward)).isEqualTo(new Malformed(Failure.BAD_NAME));
  }

  @Test
  void escapesOddBytesInNames() {
    byte[] packet = DnsPackets.response(1, 0, "ab.test", 1, 0).bytes();
    packet[13] = '.';
    packet[14] = 0x07;

    assertThat(parsed(DnsParser.parseUdp(packet)).questionName()).isEqualTo("\\046\\007.test");
  }

  @Test
  void readsTheFirstTcpSegmentAndRefusesContinuations() throws Exception {
    byte[] message =
        DnsPackets.response(9, 0, "tcp.test", 1, 1)
            .address("tcp.test", 60, InetAddress.ofLiteral("10.9.9.9"))
            .bytes();
    byte[] framed = new byte[message.length + 2];
    framed[0] = (byte) (message.length >> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);

    assertThat(parsed(DnsParser.parseTcp(framed, framed.length)).resolutions()).hasSize(1);
    assertThat(DnsParser.parseTcp(message, message.length))
        .isEqualTo(new Malformed(Failure.TCP_FRAMING));
    // A first segment of a longer message: what it holds is read, marked cut.
    DnsMessage first = parsed(DnsParser.parseTcp(Arrays.copyOf(framed, 30), 30));
    assertThat(first.truncatedFlag()).isTrue();
  }
}

package io.lanthorn.probe.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed DNS response: its question, response code and answers. Names are lower-case (DNS names
 * compare case-insensitively, and resolvers randomise case), without the trailing dot.
 *
 * @param complete false when the answers were cut short (a packet longer than what was copied, or
 *     one whose answer section ends early): {@link #answers()} holds those read before the cut
 */
public record DnsMessage(
    int id,
    int responseCode,
    boolean truncatedFlag,
    String questionName,
    int questionType,
    List<Answer> answers,
    boolean complete) {

  /** The A record type. */
  public static final int TYPE_A = 1;

  /** The CNAME record type. */
  public static final int TYPE_CNAME = 5;

  /** The AAAA record type. */
  public static final int TYPE_AAAA = 28;

  /** A resource record of the answer section: an address or a CNAME target, or neither. */
  public record Answer(String name, int type, long ttlSeconds, InetAddress address, String target) {
    /** {@code name TTL TYPE data}, as dig prints it, without the class. */
    @Override
    public String toString() {
      String data = address != null ? address.getHostAddress() : target != null ? target : "";
      return name + " " + ttlSeconds + " " + typeName(type) + " " + data;
    }
  }

  /** An address the question name resolved to, with the TTL of its record. */
  public record Resolution(InetAddress address, long ttlSeconds) {}

  public DnsMessage {
    answers = List.copyOf(answers);
  }

  /**
   * The addresses the question name resolved to: A and AAAA records of the name itself or of a name
   * its CNAME chain leads to. Records for unrelated names (a server can add any) are ignored.
   */
  public List<Resolution> resolutions() {
    Set<String> chain = new HashSet<>();
    chain.add(questionName);
    // A chain of n CNAMEs needs at most n passes, whatever order the records come in.
    for (int pass = 0; pass < answers.size(); pass++) {
      boolean grew = false;
      for (Answer a : answers) {
        if (a.type() == TYPE_CNAME && a.target() != null && chain.contains(a.name())) {
          grew |= chain.add(a.target());
        }
      }
      if (!grew) {
        break;
      }
    }
    List<Resolution> out = new ArrayList<>();
    for (Answer a : answers) {
      if (a.address() != null && chain.contains(a.name())) {
        out.add(new Resolution(a.address(), a.ttlSeconds()));
      }
    }
    return out;
  }

  /** The response code's mnemonic ({@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL} …). */
  public String responseCodeName() {
    return switch (responseCode) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      default -> "RCODE" + responseCode;
    };
  }

  /** A record type's mnemonic, or {@code TYPE<n>}. */
  public static String typeName(int type) {
    return switch (type) {
      case TYPE_A -> "A";
      case 2 -> "NS";
      case TYPE_CNAME -> "CNAME";
      case 6 -> "SOA";
      case 12 -> "PTR";
      case 15 -> "MX";
      case 16 -> "TXT";
      case TYPE_AAAA -> "AAAA";
      case 33 -> "SRV";
      case 64 -> "SVCB";
      case 65 -> "HTTPS";
      default -> "TYPE" + type;
    };
  }
}

package io.lanthorn.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A DNS answer a task received ({@link EventKind#DNS_ANSWER}): the question, the response code and
 * the answer records, with the server that sent it.
 *
 * @param header the task that received the answer, and when
 * @param questionName the name asked for, without the trailing dot, e.g. {@code www.example.com}
 * @param questionType the record type asked for ({@code 1} A, {@code 28} AAAA …)
 * @param responseCode the RCODE ({@code 0} NOERROR, {@code 2} SERVFAIL, {@code 3} NXDOMAIN …)
 * @param answers the answer section in wire order; empty for a negative answer
 * @param serverAddress the address the answer came from
 * @param serverPort the port it came from, usually 53
 * @param transport UDP or TCP
 * @param attributes facts enrichers added
 */
public record DnsEvent(
    EventHeader header,
    String questionName,
    int questionType,
    int responseCode,
    List<DnsAnswer> answers,
    InetAddress serverAddress,
    int serverPort,
    Protocol transport,
    Attributes attributes)
    implements Event {

  /** Record type A. */
  public static final int TYPE_A = 1;

  /** Record type CNAME. */
  public static final int TYPE_CNAME = 5;

  /** Record type AAAA. */
  public static final int TYPE_AAAA = 28;

  /** Checks the invariants and copies the answers. */
  public DnsEvent {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(questionName, "questionName");
    Objects.requireNonNull(serverAddress, "serverAddress");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(attributes, "attributes");
    answers = List.copyOf(answers);
    Ports.check(serverPort, "serverPort");
  }

  /** Always {@link EventKind#DNS_ANSWER}. */
  @Override
  public EventKind kind() {
    return EventKind.DNS_ANSWER;
  }

  @Override
  public DnsEvent withAttributes(Attributes newAttributes) {
    return new DnsEvent(
        header,
        questionName,
        questionType,
        responseCode,
        answers,
        serverAddress,
        serverPort,
        transport,
        newAttributes);
  }

  @Override
  public <T> DnsEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.with(key, value));
  }

  /** The addresses of the A and AAAA answers, in order. */
  public List<InetAddress> addresses() {
    return answers.stream().map(DnsAnswer::address).filter(Objects::nonNull).toList();
  }

  /** The mnemonic of a record type ({@code A}, {@code AAAA}, {@code CNAME} …), else its number. */
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

  /** The mnemonic of a response code ({@code NOERROR}, {@code NXDOMAIN} …), else its number. */
  public static String responseCodeName(int rcode) {
    return switch (rcode) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      default -> "RCODE" + rcode;
    };
  }
}

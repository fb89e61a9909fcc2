package io.lanthorn.probe.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads DNS responses (RFC 1035) defensively: any input, however malformed, gives a {@link Result}
 * and never an exception. What the packet says is trusted for nothing: every length is checked
 * against the bytes present, compression pointers must point backwards (so they cannot loop), names
 * are bounded by RFC 1035's 255 bytes and 63 per label, and record counts by the bytes they would
 * need.
 */
public final class DnsParser {
  private static final int HEADER = 12;
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;
  private static final int CLASS_IN = 1;

  /** Why a packet could not be read as a response. */
  public enum Failure {
    /** Shorter than a header, or its question is cut. */
    SHORT,
    /** A query, not a response. */
    NOT_A_RESPONSE,
    /** No question, or more than one (no resolver sends that). */
    NO_QUESTION,
    /** A name with a bad label, a pointer forward or a loop, or longer than 255 bytes. */
    BAD_NAME,
    /** A TCP segment that does not begin a message (a continuation, or a bad length prefix). */
    TCP_FRAMING
  }

  /** A response read ({@link Parsed}) or a packet refused ({@link Malformed}). */
  public sealed interface Result {}

  /** A response, complete or cut short. */
  public record Parsed(DnsMessage message) implements Result {}

  /** A packet that is not a readable response, and why. */
  public record Malformed(Failure reason) implements Result {}

  private DnsParser() {}

  /** Reads a response as carried by UDP: the message alone. */
  public static Result parseUdp(byte[] packet) {
    return parse(packet, 0, packet.length, false);
  }

  /**
   * Reads the first segment of a response carried by TCP: a two-byte length, then the message.
   *
   * @param packetLength the segment's payload length, of which {@code payload} may hold a prefix
   */
  public static Result parseTcp(byte[] payload, int packetLength) {
    if (payload.length < 2) {
      return new Malformed(Failure.TCP_FRAMING);
    }
    int length = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    // A segment that begins a message says how long it is, and carries no more than that.
    if (length < HEADER || packetLength - 2 > length) {
      return new Malformed(Failure.TCP_FRAMING);
    }
    Result result =
        parse(payload, 2, Math.min(payload.length, 2 + length), packetLength < 2 + length);
    return result;
  }

  /**
   * Reads {@code data[from, to)}.
   *
   * @param cut whether the message continues beyond {@code to}: answers that run past it make the
   *     result incomplete rather than malformed
   */
  static Result parse(byte[] data, int from, int to, boolean cut) {
    try {
      return new Reader(data, from, to).read(cut);
    } catch (RuntimeException e) {
      // Unreachable by design (every read is checked); kept so that no input can escape as an
      // exception if a check is ever missed.
      return new Malformed(Failure.BAD_NAME);
    }
  }

  /** Thrown inside the reader when the bytes run out; caught before the result is returned. */
  private static final class RanOut extends Exception {
    private static final long serialVersionUID = 1L;

    RanOut() {
      super(null, null, false, false);
    }
  }

  /** Thrown inside the reader for an unreadable name. */
  private static final class BadName extends Exception {
    private static final long serialVersionUID = 1L;

    BadName() {
      super(null, null, false, false);
    }
  }

  private static final class Reader {
    private final byte[] data;
    private final int base;
    private final int end;
    private int pos;

    Reader(byte[] data, int base, int end) {
      this.data = data;
      this.base = base;
      this.end = end;
      this.pos = base;
    }

    Result read(boolean cut) {
      int id;
      int flags;
      int questions;
      int answerCount;
      String questionName;
      int questionType;
      try {
        id = u16();
        flags = u16();
        questions = u16();
        answerCount = u16();
        u16(); // authority
        u16(); // additional
        if ((flags & 0x8000) == 0) {
          return new Malformed(Failure.NOT_A_RESPONSE);
        }
        if (questions != 1) {
          return new Malformed(Failure.NO_QUESTION);
        }
        questionName = name();
        questionType = u16();
        u16(); // class
      } catch (RanOut e) {
        return new Malformed(Failure.SHORT);
      } catch (BadName e) {
        return new Malformed(Failure.BAD_NAME);
      }
      List<DnsMessage.Answer> answers = new ArrayList<>(Math.min(answerCount, 64));
      boolean complete = true;
      for (int i = 0; i < answerCount; i++) {
        try {
          DnsMessage.Answer answer = answer();
          if (answer != null) {
            answers.add(answer);
          }
        } catch (RanOut | BadName e) {
          // What was read stays: a response cut after its first answers still names them.
          complete = false;
          break;
        }
      }
      return new Parsed(
          new DnsMessage(
              id,
              flags & 0x0f,
              (flags & 0x0200) != 0 || cut,
              questionName,
              questionType,
              answers,
              complete));
    }

    /** One resource record, or null for one that names nothing we use (other classes). */
    private DnsMessage.Answer answer() throws RanOut, BadName {
      String name = name();
      int type = u16();
      int rrClass = u16();
      long ttl = u32();
      int length = u16();
      if (length > end - pos) {
        throw new RanOut();
      }
      int dataStart = pos;
      pos += length;
      if (rrClass != CLASS_IN) {
        return null;
      }
      // RFC 2181: a TTL with the top bit set is treated as zero.
      if (ttl > Integer.MAX_VALUE) {
        ttl = 0;
      }
      return switch (type) {
        case DnsMessage.TYPE_A -> address(name, type, ttl, dataStart, length, 4);
        case DnsMessage.TYPE_AAAA -> address(name, type, ttl, dataStart, length, 16);
        case DnsMessage.TYPE_CNAME -> {
          int after = pos;
          pos = dataStart;
          String target = name();
          if (pos > dataStart + length) {
            throw new BadName(); // the name ran past its record
          }
          pos = after;
          yield new DnsMessage.Answer(name, type, ttl, null, target);
        }
        default -> new DnsMessage.Answer(name, type, ttl, null, null);
      };
    }

    private DnsMessage.Answer address(
        String name, int type, long ttl, int start, int length, int expected) throws BadName {
      if (length != expected) {
        throw new BadName();
      }
      byte[] bytes = new byte[length];
      System.arraycopy(data, start, bytes, 0, length);
      try {
        return new DnsMessage.Answer(name, type, ttl, InetAddress.getByAddress(bytes), null);
      } catch (UnknownHostException e) {
        throw new BadName(); // unreachable: the length is 4 or 16
      }
    }

    /**
     * A possibly compressed name, lower-case, dot-separated, without the root's trailing dot; the
     * root itself is {@code "."}. Bytes outside printable ASCII, dots and backslashes inside a
     * label are escaped as {@code \DDD} the way zone files write them.
     */
    private String name() throws RanOut, BadName {
      StringBuilder out = new StringBuilder();
      int cursor = pos;
      int resumeAt = -1; // where the reader continues after the first pointer
      int lowestJump = cursor; // pointers must point strictly before every label read so far
      int wireLength = 0;
      while (true) {
        if (cursor >= end) {
          throw new RanOut();
        }
        int length = data[cursor] & 0xff;
        int kind = length & 0xc0;
        if (kind == 0xc0) {
          if (cursor + 1 >= end) {
            throw new RanOut();
          }
          int target = base + (((length & 0x3f) << 8) | (data[cursor + 1] & 0xff));
          if (target >= lowestJump) {
            throw new BadName(); // forward or self: a loop is possible
          }
          if (resumeAt < 0) {
            resumeAt = cursor + 2;
          }
          lowestJump = target;
          cursor = target;
          continue;
        }
        if (kind != 0) {
          throw new BadName(); // 0x40 and 0x80 label types are obsolete or unassigned
        }
        cursor++;
        wireLength += length + 1;
        if (wireLength > MAX_NAME) {
          throw new BadName();
        }
        if (length == 0) {
          break;
        }
        if (length > MAX_LABEL) {
          throw new BadName();
        }
        if (cursor + length > end) {
          throw new RanOut();
        }
        if (!out.isEmpty()) {
          out.append('.');
        }
        for (int i = cursor; i < cursor + length; i++) {
          int c = data[i] & 0xff;
          if (c >= 'A' && c <= 'Z') {
            out.append((char) (c + ('a' - 'A')));
          } else if (c > 0x20 && c < 0x7f && c != '.' && c != '\\') {
            out.append((char) c);
          } else {
            out.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10));
            out.append((char) ('0' + c % 10));
          }
        }
        cursor += length;
      }
      pos = resumeAt >= 0 ? resumeAt : cursor;
      return out.isEmpty() ? "." : out.toString();
    }

    private int u16() throws RanOut {
      if (pos + 2 > end) {
        throw new RanOut();
      }
      int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    private long u32() throws RanOut {
      if (pos + 4 > end) {
        throw new RanOut();
      }
      long v =
          ((long) (data[pos] & 0xff) << 24)
              | ((data[pos + 1] & 0xff) << 16)
              | ((data[pos + 2] & 0xff) << 8)
              | (data[pos + 3] & 0xff);
      pos += 4;
      return v;
    }
  }
}

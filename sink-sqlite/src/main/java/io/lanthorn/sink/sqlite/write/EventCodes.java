package io.lanthorn.sink.sqlite.write;

import io.lanthorn.api.EventKind;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The numbers {@code event_rows} stores instead of repeated text (the {@code events} view shows
 * them as {@code event_type_code} and {@code outcome_code}; {@code lanthorn query} filters on
 * them), as schema 15 ({@code V15__lean_event_rows.sql}) decodes them. The commonest values are 0
 * and 1, which SQLite keeps in a record's header alone.
 */
public final class EventCodes {
  /** {@code kind} of a tcp_connect row. */
  static final int CONNECT = 0;

  /** {@code kind} of a tcp_accept row. */
  public static final int ACCEPT = 1;

  /** {@code kind} of a udp_send row. */
  static final int UDP_SEND = 2;

  /** {@code outcome} of a udp_send row: the datagrams left. */
  static final int SENT = 2;

  /** Outcomes from this code on are failed attempts (the partial index events_failed_timestamp). */
  public static final int FIRST_FAILED = 3;

  private EventCodes() {}

  /** The stored {@code kind} of an event kind stored as a row. */
  static int kind(EventKind kind) {
    return switch (kind) {
      case TCP_CONNECT -> CONNECT;
      case TCP_ACCEPT -> ACCEPT;
      case UDP_SEND -> UDP_SEND;
      default -> throw new IllegalArgumentException(kind + " is not stored in event_rows");
    };
  }

  /** The stored {@code outcome} of a TCP attempt. */
  static int outcome(Outcome outcome) {
    return switch (outcome) {
      case ESTABLISHED -> 0;
      case PENDING -> 1;
      case REFUSED -> 3;
      case TIMED_OUT -> 4;
      case UNREACHABLE -> 5;
      case OTHER -> 6;
    };
  }

  /**
   * The stored {@code attribution}: a number for the statuses the api names, any other status as
   * its text (a third-party enricher's), {@code null} for none.
   */
  static Object attribution(String status) {
    if (status == null) {
      return null;
    }
    return switch (status) {
      case StandardAttributes.ATTRIBUTION_NOT_IN_CONTAINER -> 0;
      case StandardAttributes.ATTRIBUTION_ATTRIBUTED -> 1;
      case StandardAttributes.ATTRIBUTION_UNKNOWN_CONTAINER -> 2;
      case StandardAttributes.ATTRIBUTION_RUNTIME_UNAVAILABLE -> 3;
      default -> status;
    };
  }

  /**
   * The stored {@code src_ip}/{@code dst_ip}: an IPv4 address as its 32-bit number (signed, so
   * SQLite stores 4 bytes), any other as its text.
   */
  static Object address(InetAddress address, String text) {
    if (address instanceof Inet4Address) {
      return ByteBuffer.wrap(address.getAddress()).getInt();
    }
    return text;
  }
}

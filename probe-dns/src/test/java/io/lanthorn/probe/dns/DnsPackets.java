package io.lanthorn.probe.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Builds DNS messages for tests, with name compression as servers write it. */
final class DnsPackets {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> written = new HashMap<>();
  private final boolean compress;

  private DnsPackets(boolean compress) {
    this.compress = compress;
  }

  /** A query for {@code name} of {@code type}, recursion desired. */
  static byte[] query(int id, String name, int type) {
    DnsPackets p = new DnsPackets(true);
    p.u16(id).u16(0x0100).u16(1).u16(0).u16(0).u16(0);
    p.name(name).u16(type).u16(1);
    return p.out.toByteArray();
  }

  /** Starts a response to {@code name}/{@code type} with {@code answers} records to follow. */
  static DnsPackets response(int id, int rcode, String name, int type, int answers) {
    return response(id, rcode, name, type, answers, true);
  }

  static DnsPackets response(
      int id, int rcode, String name, int type, int answers, boolean compress) {
    DnsPackets p = new DnsPackets(compress);
    p.u16(id).u16(0x8180 | rcode).u16(1).u16(answers).u16(0).u16(0);
    p.name(name).u16(type).u16(1);
    return p;
  }

  DnsPackets address(String name, long ttl, InetAddress address) {
    byte[] bytes = address.getAddress();
    name(name).u16(bytes.length == 4 ? DnsMessage.TYPE_A : DnsMessage.TYPE_AAAA).u16(1);
    u32(ttl).u16(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  DnsPackets cname(String name, long ttl, String target) {
    name(name).u16(DnsMessage.TYPE_CNAME).u16(1).u32(ttl);
    int lengthAt = out.size();
    u16(0);
    int start = out.size();
    name(target);
    byte[] bytes = out.toByteArray();
    int length = out.size() - start;
    bytes[lengthAt] = (byte) (length >> 8);
    bytes[lengthAt + 1] = (byte) length;
    out.reset();
    out.writeBytes(bytes);
    return this;
  }

  DnsPackets other(String name, int type, long ttl, byte[] data) {
    name(name).u16(type).u16(1).u32(ttl).u16(data.length);
    out.writeBytes(data);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private DnsPackets name(String name) {
    String rest = name;
    while (!rest.isEmpty()) {
      Integer at = compress ? written.get(rest) : null;
      if (at != null) {
        u16(0xc000 | at);
        return this;
      }
      if (out.size() < 0x3fff) {
        written.put(rest, out.size());
      }
      int dot = rest.indexOf('.');
      String label = dot < 0 ? rest : rest.substring(0, dot);
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.writeBytes(bytes);
      rest = dot < 0 ? "" : rest.substring(dot + 1);
    }
    out.write(0);
    return this;
  }

  private DnsPackets u16(int v) {
    out.write(v >> 8);
    out.write(v);
    return this;
  }

  private DnsPackets u32(long v) {
    u16((int) (v >> 16) & 0xffff);
    return u16((int) v & 0xffff);
  }
}

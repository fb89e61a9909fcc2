package io.lanthorn.enricher.threat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a feed's text in its format; a line it cannot read is skipped and counted. */
final class FeedParser {
  private static final Pattern LABELS =
      Pattern.compile(
          "([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Names hosts files map to themselves; never a threat. */
  private static final Set<String> HOSTS_FILE_NAMES =
      Set.of(
          "localhost",
          "localhost.localdomain",
          "local",
          "broadcasthost",
          "ip6-localhost",
          "ip6-loopback",
          "0.0.0.0");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private FeedParser() {}

  static FeedContent parse(String text, FeedFormat format) {
    return parse(text, format, version(text));
  }

  /**
   * @param version the text's {@link #version}, when the caller computed it already
   */
  static FeedContent parse(String text, FeedFormat format, String version) {
    IpRanges.Builder addresses = new IpRanges.Builder();
    DomainSet.Builder domains = new DomainSet.Builder();
    int entries = 0;
    int malformed = 0;
    for (String raw : (Iterable<String>) text.lines()::iterator) {
      String line = stripComment(raw, format).strip();
      if (line.isEmpty() || (format == FeedFormat.HOSTS && onlyLocalNames(line))) {
        continue;
      }
      boolean ok =
          switch (format) {
            case IP, FEODO -> addAddressOrRange(firstToken(line), addresses);
            case HOSTS -> addHostsLine(line, addresses, domains);
            case DOMAIN -> addName(firstToken(line), addresses, domains);
          };
      if (ok) {
        entries++;
      } else {
        malformed++;
      }
    }
    DomainSet domainSet = domains.build();
    return new FeedContent(
        addresses.build(),
        domainSet,
        entries,
        malformed,
        addresses.written(),
        domainSet.list(),
        version);
  }

  /** The first 128 bits of the text's SHA-256, in hex: what tells one version from another. */
  static String version(String text) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    // In slices: the agent's heap is small, and a feed's text can be tens of megabytes.
    for (int from = 0; from < text.length(); from += 65_536) {
      String slice = text.substring(from, Math.min(text.length(), from + 65_536));
      sha.update(slice.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static String stripComment(String line, FeedFormat format) {
    int hash = line.indexOf('#');
    int end = hash < 0 ? line.length() : hash;
    if (format == FeedFormat.IP) {
      int semicolon = line.indexOf(';');
      if (semicolon >= 0 && semicolon < end) {
        end = semicolon;
      }
    }
    return line.substring(0, end);
  }

  /** {@code 127.0.0.1 localhost}: a hosts file's own lines, neither an entry nor malformed. */
  private static boolean onlyLocalNames(String line) {
    List<String> tokens = WHITESPACE.splitAsStream(line).toList();
    return tokens.size() > 1
        && tokens.subList(1, tokens.size()).stream()
            .allMatch(t -> HOSTS_FILE_NAMES.contains(t.toLowerCase(Locale.ROOT)));
  }

  private static String firstToken(String line) {
    int space = 0;
    while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
      space++;
    }
    return line.substring(0, space);
  }

  /** {@code 203.0.113.7}, {@code 203.0.113.0/24}, {@code 2001:db8::/32}. */
  static boolean addAddressOrRange(String token, IpRanges.Builder addresses) {
    int slash = token.indexOf('/');
    InetAddress address = Addresses.literal(slash < 0 ? token : token.substring(0, slash));
    if (address == null) {
      return false;
    }
    int prefix = Addresses.bits(address);
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(token.substring(slash + 1));
      } catch (NumberFormatException e) {
        return false;
      }
      if (prefix < 0 || prefix > Addresses.bits(address)) {
        return false;
      }
    }
    addresses.add(address, prefix, token);
    return true;
  }

  /** {@code 127.0.0.1 evil.example [more names]}: the names are listed, not the address. */
  private static boolean addHostsLine(
      String line, IpRanges.Builder addresses, DomainSet.Builder domains) {
    List<String> tokens = WHITESPACE.splitAsStream(line).toList();
    if (tokens.size() < 2 || Addresses.literal(tokens.getFirst()) == null) {
      return false;
    }
    boolean any = false;
    for (String name : tokens.subList(1, tokens.size())) {
      if (HOSTS_FILE_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (!addName(name, addresses, domains)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** A domain (lists sometimes hold an address where a host name would be: kept as one). */
  private static boolean addName(
      String token, IpRanges.Builder addresses, DomainSet.Builder domains) {
    String name = DomainSet.normalize(token);
    if (name.startsWith("*.")) {
      name = name.substring(2);
    }
    if (Addresses.literal(name) != null) {
      return addAddressOrRange(name, addresses);
    }
    if (name.length() > 253 || !LABELS.matcher(name).matches()) {
      return false;
    }
    domains.add(name);
    return true;
  }
}

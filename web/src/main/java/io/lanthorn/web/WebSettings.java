package io.lanthorn.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The web plugin's settings, free of any configuration library: the plugin adapter reads them from
 * the agent's configuration, tests build them directly.
 *
 * @param listen where the server binds
 * @param database the SQLite file sink-sqlite writes, opened read-only
 * @param token a bearer token every request must carry, when set
 * @param passwordFile a {@code user:password} file (mode 0600) for basic authentication, when set
 * @param containerCap distinct containers counted by name in {@code /metrics}; the rest as {@code
 *     other}
 * @param destinationCap distinct container × destination pairs counted in {@code /metrics}; 0 turns
 *     that family off
 */
public record WebSettings(
    InetSocketAddress listen,
    Path database,
    Optional<String> token,
    Optional<Path> passwordFile,
    int containerCap,
    int destinationCap) {

  /**
   * Settings from their configuration text.
   *
   * @throws IllegalArgumentException with one line naming the key and what to do
   */
  public static WebSettings of(
      String listen,
      String database,
      String token,
      String passwordFile,
      int containerCap,
      int destinationCap) {
    if (containerCap < 1) {
      throw new IllegalArgumentException(
          "web.container-cap must be at least 1, not " + containerCap);
    }
    if (destinationCap < 0) {
      throw new IllegalArgumentException(
          "web.destination-cap must be 0 (off) or more, not " + destinationCap);
    }
    if (database.isBlank()) {
      throw new IllegalArgumentException(
          "web.path is empty: set it to sink-sqlite's file (sink-sqlite.path, or --db-path)");
    }
    return new WebSettings(
        listenAddress(listen),
        Path.of(database),
        token.isBlank() ? Optional.empty() : Optional.of(token),
        passwordFile.isBlank() ? Optional.empty() : Optional.of(Path.of(passwordFile)),
        containerCap,
        destinationCap);
  }

  /** Whether requests need a token or a password. */
  public boolean authenticated() {
    return token.isPresent() || passwordFile.isPresent();
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port} where host is an address literal; names are never
   * resolved, so a typo cannot make the server bind somewhere unexpected.
   */
  static InetSocketAddress listenAddress(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw badListen(text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw badListen(text);
    }
    if (port < 0 || port > 65_535) {
      throw badListen(text);
    }
    InetAddress address;
    try {
      address = InetAddress.ofLiteral(host);
    } catch (IllegalArgumentException e) {
      throw badListen(text);
    }
    return new InetSocketAddress(address, port);
  }

  private static IllegalArgumentException badListen(String text) {
    return new IllegalArgumentException(
        "web.listen '"
            + text
            + "' is not an address and port, e.g. 127.0.0.1:9077 or [::1]:9077 (--web-listen)");
  }
}

package io.lanthorn.web.http;

import io.lanthorn.web.WebSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read: anyone on a loopback-only server; with a token or password file configured, only
 * requests carrying it ({@code Authorization: Bearer <token>}, or basic authentication with the
 * file's user and password; a browser asks for the latter).
 */
public final class Access {
  private final Optional<byte[]> bearer;
  private final Optional<byte[]> basic;

  private Access(Optional<byte[]> bearer, Optional<byte[]> basic) {
    this.bearer = bearer;
    this.basic = basic;
  }

  /**
   * The access rules for these settings.
   *
   * @throws IllegalArgumentException with one line when the server would listen beyond loopback
   *     without authentication, or the password file is unusable
   */
  public static Access of(WebSettings settings) {
    if (!settings.listen().getAddress().isLoopbackAddress() && !settings.authenticated()) {
      throw new IllegalArgumentException(
          "web.listen "
              + settings.listen().getAddress().getHostAddress()
              + " is not a loopback address: set web.token or web.password-file (a 0600"
              + " user:password file) to serve beyond this host, or listen on 127.0.0.1");
    }
    Optional<byte[]> basic = settings.passwordFile().map(Access::readPasswordFile);
    return new Access(settings.token().map(t -> utf8("Bearer " + t)), basic);
  }

  /** Whether requests must authenticate. */
  public boolean required() {
    return bearer.isPresent() || basic.isPresent();
  }

  /** Whether this Authorization header (possibly null) is accepted. */
  public boolean allows(String authorization) {
    if (!required()) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    byte[] given = utf8(authorization.trim());
    // Constant-time comparisons: the time taken says nothing about how much of a guess was right.
    boolean bearerMatches = bearer.map(b -> MessageDigest.isEqual(b, given)).orElse(false);
    boolean basicMatches = basic.map(b -> MessageDigest.isEqual(b, given)).orElse(false);
    return bearerMatches || basicMatches;
  }

  private static byte[] readPasswordFile(Path file) {
    Set<PosixFilePermission> permissions;
    String content;
    try {
      permissions = Files.getPosixFilePermissions(file);
      content = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read web.password-file " + file + ": " + e.getMessage(), e);
    }
    Set<PosixFilePermission> others = EnumSet.copyOf(permissions);
    others.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    if (!others.isEmpty()) {
      throw new IllegalArgumentException(
          "web.password-file " + file + " is readable by others: chmod 600 " + file);
    }
    int colon = content.indexOf(':');
    if (colon <= 0 || colon == content.length() - 1 || content.contains("\n")) {
      throw new IllegalArgumentException(
          "web.password-file " + file + " must hold one line user:password");
    }
    return utf8("Basic " + Base64.getEncoder().encodeToString(utf8(content)));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

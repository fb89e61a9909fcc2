package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The distribution ITs send nothing beyond loopback: every agent they start has remote threat-feed
 * fetching off (the shipped defaults name public abuse.ch URLs), and no URL in their sources or
 * resources points anywhere but loopback or a file.
 */
class NoRemoteFeedsIT {
  // Split so that this file's own pattern is not a URL it finds.
  private static final Pattern URL = Pattern.compile("\\b(?:https?|ftp):" + "//[^\\s\"'<>)]+");

  @Test
  void everyTestAgentRunsWithRemoteFeedFetchingOff() {
    // CONFIG_FORCE_: _ is a dot, __ a dash.
    assertThat(Agent.TEST_ENVIRONMENT)
        .containsEntry("CONFIG_FORCE_enricher__threat_remote__fetch", "false");
  }

  @Test
  void thePackageTestTurnsRemoteFetchingOffBeforeItsFirstAgentStarts() throws IOException {
    // scripts/test-deb.sh runs the installed package with its shipped configuration, which
    // downloads the public feeds unless told otherwise.
    String script = Files.readString(Path.of("../scripts/test-deb.sh"));
    int off = script.indexOf("echo 'enricher-threat.remote-fetch = false");
    int firstStart = script.indexOf("(as_unit) >");
    assertThat(firstStart).as("scripts/test-deb.sh starts the agent").isPositive();
    assertThat(off).as("remote fetching off before the first start").isBetween(0, firstStart);
  }

  @Test
  void theItsConfigurationHoldsNoNonLoopbackUrl() throws IOException {
    List<String> remote;
    try (Stream<Path> files = Files.walk(Path.of("src/test"))) {
      remote =
          files
              .filter(Files::isRegularFile)
              .flatMap(NoRemoteFeedsIT::urls)
              .filter(url -> !loopback(url))
              .toList();
    }
    assertThat(remote).as("URLs in distribution/src/test that are not loopback").isEmpty();
  }

  private static Stream<String> urls(Path file) {
    try {
      Matcher matcher = URL.matcher(Files.readString(file));
      return matcher.results().map(r -> file + ": " + r.group());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean loopback(String found) {
    String url = found.substring(found.indexOf(": ") + 2);
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null || host.equals("localhost")) {
      return host != null;
    }
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try {
      return literal.matches("[0-9.]+|[0-9a-fA-F:]+")
          && InetAddress.ofLiteral(literal).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

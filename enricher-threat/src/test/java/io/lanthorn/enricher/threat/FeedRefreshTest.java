package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.testkit.TestMetrics;
import io.lanthorn.api.testkit.TestPluginContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refreshing against a real HTTP server on loopback and real files: what is taken, what not. */
class FeedRefreshTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path cacheDir;
  private final FeedServer server = newServer();
  private final MutableClock clock = new MutableClock(START);
  private final RecordingLogger log = new RecordingLogger();
  private final FeedDownloader downloader = new FeedDownloader(64 * 1024, Duration.ofSeconds(5));

  private static FeedServer newServer() {
    try {
      return new FeedServer();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
    downloader.close();
  }

  private FeedState feed(URI url, FeedFormat format) {
    return new FeedState(
        new FeedSpec("drop", url, format, Duration.ofHours(1)),
        new FeedCache(cacheDir),
        downloader,
        clock,
        log,
        0.1,
        new TestMetrics().counter("hits", ""));
  }

  /** {@code count} addresses 10.0.x.y, one a line. */
  private static String list(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "10.0." + (i / 250) + "." + (i % 250 + 1))
        .collect(Collectors.joining("\n", "; fixture\n", "\n"));
  }

  @Test
  void aGoodVersionIsSavedPrivatelyAndAnUnchangedOneIsNotDownloadedAgain() throws Exception {
    server.answer("/drop.txt", FeedServer.Answer.list(list(100) + "garbage line\n", "\"v1\""));
    FeedState feed = feed(server.url("/drop.txt"), FeedFormat.IP);

    feed.refresh();
    clock.advance(Duration.ofHours(1));
    feed.refresh();

    assertThat(feed.content().entries()).isEqualTo(100);
    assertThat(feed.status().malformed()).isEqualTo(1);
    assertThat(server.requests())
        .extracting(FeedServer.Request::ifNoneMatch)
        .containsExactly(null, "\"v1\"");
    assertThat(feed.status().lastGood()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(feed.status().lastError()).isNull();
    Path copy = cacheDir.resolve("drop.txt");
    assertThat(Files.readString(copy)).startsWith("; fixture\n10.0.0.1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cacheDir.resolve("drop.status"))))
        .isEqualTo("rw-------");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void anHtmlPageATruncatedDownloadAndAShrunkenListAreRefusedWholeWithOneWarning()
      throws Exception {
    server.answer("/drop.txt", FeedServer.Answer.list(list(200), "\"v1\""));
    FeedState feed = feed(server.url("/drop.txt"), FeedFormat.IP);
    feed.refresh();

    server.answer(
        "/drop.txt",
        FeedServer.Answer.html(
            "<!DOCTYPE html>\n<html><body>503 Service Unavailable</body></html>"));
    feed.refresh();
    assertThat(feed.status().lastError()).contains("an HTML page");
    server.answer("/drop.txt", FeedServer.Answer.truncated(list(300)));
    feed.refresh();
    assertThat(feed.status().lastError()).isNotNull();
    server.answer("/drop.txt", FeedServer.Answer.list(list(10), "\"v2\""));
    feed.refresh();
    assertThat(feed.status().lastError()).contains("shrank from 200 to 10");

    assertThat(feed.content().entries()).isEqualTo(200);
    assertThat(feed.content().matchAddress(Addresses.literal("10.0.0.150")))
        .isEqualTo("10.0.0.150");
    assertThat(Files.readString(cacheDir.resolve("drop.txt"))).isEqualTo(list(200));
    assertThat(feed.status().lastGood()).isEqualTo(START);
    assertThat(log.warnings()).hasSize(1);
    assertThat(log.warnings().getFirst())
        .contains("threat feed 'drop'", "an HTML page", "matching with the version of");

    // Back to normal: the next failure warns again.
    server.answer("/drop.txt", FeedServer.Answer.list(list(190), "\"v3\""));
    feed.refresh();
    assertThat(feed.content().entries()).isEqualTo(190);
    assertThat(feed.status().lastError()).isNull();
  }

  @Test
  void aListThatReallyShrankIsTakenOnceTheOperatorAcceptsItAndTheNextShrinkIsCheckedAgain()
      throws Exception {
    server.answer("/drop.txt", FeedServer.Answer.list(list(200), "\"v1\""));
    FeedState feed = feed(server.url("/drop.txt"), FeedFormat.IP);
    feed.refresh();
    server.answer("/drop.txt", FeedServer.Answer.list(list(10), "\"v2\""));
    feed.refresh();
    clock.advance(Duration.ofHours(1));
    feed.refresh();
    assertThat(feed.content().entries()).as("refused at every refresh").isEqualTo(200);
    assertThat(feed.status().lastError())
        .endsWith("(if the list really shrank: lanthorn feeds --accept-shrink drop)");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    TestPluginContext context =
        TestPluginContext.forPlugin(ThreatFactory.NAME)
            .with(
                "feeds = [ { name = \"drop\", url = \""
                    + server.url("/drop.txt")
                    + "\", format = \"ip\", refresh = 2h } ]\ncache-dir = \""
                    + cacheDir
                    + "\"")
            .withClock(clock);
    int status =
        new FeedsCommand()
            .run(
                context,
                List.of("--accept-shrink", "drop"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("feed 'drop': the agent takes its next version however much it shrank")
        .contains("(every 2h)");
    assertThat(Files.getPosixFilePermissions(cacheDir.resolve("drop.accept-shrink")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    clock.advance(Duration.ofHours(1));
    feed.refresh();
    assertThat(feed.content().entries()).isEqualTo(10);
    assertThat(feed.status().lastError()).isNull();
    assertThat(Files.readString(cacheDir.resolve("drop.txt"))).isEqualTo(list(10));
    assertThat(cacheDir.resolve("drop.accept-shrink")).doesNotExist();
    assertThat(log.infos())
        .anyMatch(line -> line.contains("took the new version (10 entries, 200 before)"));

    // Accepted once: a further collapse is refused again.
    server.answer("/drop.txt", FeedServer.Answer.list(list(0), "\"v3\""));
    feed.refresh();
    assertThat(feed.content().entries()).isEqualTo(10);
    assertThat(feed.status().lastError()).contains("shrank from 10 to 0");
  }

  @Test
  void acceptingTheShrinkOfAFeedThatIsNotConfiguredIsRefusedInOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new FeedsCommand()
            .run(
                TestPluginContext.forPlugin(ThreatFactory.NAME)
                    .with("cache-dir = \"" + cacheDir + "\""),
                List.of("--accept-shrink", "nope"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "lanthorn feeds: no feed is named 'nope'; the configured ones: feodo, urlhaus\n");
    assertThat(cacheDir.resolve("nope.accept-shrink")).doesNotExist();
  }

  @Test
  void aDownloadOverTheSizeLimitIsRefused() throws Exception {
    server.answer("/big.txt", FeedServer.Answer.list(list(10_000), null));
    FeedState feed = feed(server.url("/big.txt"), FeedFormat.IP);

    feed.refresh();

    assertThat(feed.content().entries()).isZero();
    assertThat(feed.status().lastError()).contains("more than max-size");
    assertThat(log.warnings().getFirst()).contains("nothing from it matches until it arrives");
  }

  @Test
  void fileUrlsAreReadAndASavedCopyServesTheNextStart() throws Exception {
    Path file = cacheDir.resolve("local-list.txt");
    Files.writeString(file, "# local\n127.0.0.77\n");
    FeedState feed = feed(file.toUri(), FeedFormat.IP);
    feed.refresh();
    FeedContent first = feed.content();
    clock.advance(Duration.ofHours(1));
    feed.refresh();
    assertThat(feed.content()).as("the same text is not parsed again").isSameAs(first);
    assertThat(feed.status().lastGood()).isEqualTo(START.plus(Duration.ofHours(1)));
    Files.delete(file);

    FeedState restarted = feed(file.toUri(), FeedFormat.IP);
    restarted.loadSaved();
    assertThat(restarted.content().matchAddress(Addresses.literal("127.0.0.77")))
        .isEqualTo("127.0.0.77");
    restarted.refresh();

    assertThat(restarted.content().entries()).isEqualTo(1);
    assertThat(restarted.status().lastError()).contains("NoSuchFileException");
    assertThat(log.warnings()).hasSize(1);

    // A copy saved from another URL is another list: not used.
    FeedState moved = feed(cacheDir.resolve("elsewhere.txt").toUri(), FeedFormat.IP);
    moved.loadSaved();
    assertThat(moved.content().entries()).isZero();
  }
}

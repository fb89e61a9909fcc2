package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.testkit.TestMetrics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
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

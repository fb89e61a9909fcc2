package io.lanthorn.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  static List<Spool.Message> batch(String prefix, int size) {
    return IntStream.range(0, size)
        .mapToObj(
            i ->
                new Spool.Message(
                    "host".getBytes(StandardCharsets.UTF_8),
                    (prefix + i).getBytes(StandardCharsets.UTF_8)))
        .toList();
  }

  static List<String> values(List<Spool.Message> messages) {
    return messages.stream().map(m -> new String(m.value(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void drainsOldestFirstAndSurvivesARestart() throws Exception {
    Spool spool = new Spool(dir.resolve("spool"), 1 << 20);
    assertThat(spool.append(batch("a", 3))).isTrue();
    assertThat(spool.append(batch("b", 2))).isTrue();

    Spool reopened = new Spool(dir.resolve("spool"), 1 << 20);

    assertThat(reopened.messages()).isEqualTo(5);
    assertThat(reopened.bytes()).isEqualTo(spool.bytes());
    assertThat(values(reopened.oldest())).containsExactly("a0", "a1", "a2");
    reopened.removeOldest();
    assertThat(values(reopened.oldest())).containsExactly("b0", "b1");
    reopened.append(batch("c", 1));
    reopened.removeOldest();
    assertThat(values(reopened.oldest())).containsExactly("c0");
    reopened.removeOldest();
    assertThat(reopened.isEmpty()).isTrue();
    assertThat(reopened.bytes()).isZero();
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void filesAreOwnerOnly() throws Exception {
    Spool spool = new Spool(dir.resolve("spool"), 1 << 20);
    spool.append(batch("a", 1));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("spool"))))
        .isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      assertThat(files)
          .singleElement()
          .satisfies(
              file ->
                  assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                      .isEqualTo("rw-------"));
    }
  }

  @Test
  void refusesABatchBeyondItsLimitAndKeepsWhatItHas() throws Exception {
    Spool spool = new Spool(dir.resolve("spool"), 200);
    assertThat(spool.append(batch("a", 5))).isTrue();
    long before = spool.bytes();

    assertThat(spool.append(batch("b", 20))).isFalse();

    assertThat(spool.bytes()).isEqualTo(before);
    assertThat(spool.messages()).isEqualTo(5);
    assertThat(spool.bytes()).isLessThanOrEqualTo(200);
  }

  @Test
  void aHalfWrittenBatchFromACrashIsDiscarded() throws Exception {
    Files.createDirectories(dir.resolve("spool"));
    Files.writeString(dir.resolve("spool").resolve("00000000000000000001.spool.tmp"), "partial");

    Spool spool = new Spool(dir.resolve("spool"), 1 << 20);

    assertThat(spool.isEmpty()).isTrue();
    assertThat(dir.resolve("spool").resolve("00000000000000000001.spool.tmp")).doesNotExist();
  }
}

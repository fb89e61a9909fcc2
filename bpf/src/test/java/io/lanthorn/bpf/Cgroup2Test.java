package io.lanthorn.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cgroup2Test {

  @Test
  void findsTheCgroup2MountOnAHybridHost() {
    List<String> mountinfo =
        List.of(
            "25 30 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
            "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw",
            "27 25 0:24 / /sys/fs/cgroup/systemd rw shared:10 - cgroup cgroup rw,name=systemd");

    assertThat(Cgroup2.root(mountinfo)).contains(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void findsItOnAUnifiedHostAndUnescapesThePath() {
    assertThat(
            Cgroup2.root(
                List.of("35 24 0:30 / /sys/fs/cgroup rw shared:9 - cgroup2 cgroup2 rw,nsdelegate")))
        .contains(Path.of("/sys/fs/cgroup"));
    assertThat(Cgroup2.root(List.of("35 24 0:30 / /mnt/my\\040cg rw - cgroup2 none rw")))
        .contains(Path.of("/mnt/my cg"));
  }

  @Test
  void aHostWithoutCgroup2IsOneLineSayingHowToMountIt(@TempDir Path dir) throws Exception {
    Path mountinfo =
        Files.writeString(
            dir.resolve("mountinfo"), "27 25 0:24 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw\n");

    assertThatThrownBy(() -> Cgroup2.root(mountinfo))
        .isInstanceOf(BpfException.class)
        .hasMessageContaining("no cgroup v2 hierarchy is mounted")
        .hasMessageContaining("mount -t cgroup2");
  }

  @Test
  void thisHostHasOne() {
    assertThat(Cgroup2.root(Cgroup2.MOUNTINFO).resolve("cgroup.controllers")).exists();
  }
}

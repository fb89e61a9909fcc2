package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.enricher.docker.CgroupMounts.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {

  private static CgroupMounts fixture(String name) throws IOException {
    try (InputStream in = CgroupMountsTest.class.getResourceAsStream("/mountinfo/" + name)) {
      return CgroupMounts.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    }
  }

  @Test
  void pureV2() throws IOException {
    CgroupMounts mounts = fixture("pure-v2.txt");
    assertThat(mounts.layout()).isEqualTo(Layout.PURE_V2);
    assertThat(mounts.v2MountPoint()).isEqualTo(Path.of("/sys/fs/cgroup"));
    assertThat(mounts.v1MountPoints()).isEmpty();
    assertThat(mounts.v2Directory("/system.slice/docker-abc.scope"))
        .isEqualTo(Path.of("/sys/fs/cgroup/system.slice/docker-abc.scope"));
  }

  @Test
  void hybridLikeThisMachine() throws IOException {
    CgroupMounts mounts = fixture("hybrid.txt");
    assertThat(mounts.layout()).isEqualTo(Layout.HYBRID);
    assertThat(mounts.v2MountPoint()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
    assertThat(mounts.v1MountPoints()).hasSize(9).contains(Path.of("/sys/fs/cgroup/systemd"));
    assertThat(mounts.v2Directory("/docker/abc"))
        .isEqualTo(Path.of("/sys/fs/cgroup/unified/docker/abc"));
    assertThat(mounts.v2Directory("/")).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void v1OnlyHasNoV2Directory() throws IOException {
    CgroupMounts mounts = fixture("v1-only.txt");
    assertThat(mounts.layout()).isEqualTo(Layout.V1_ONLY);
    assertThat(mounts.v2MountPoint()).isNull();
    assertThat(mounts.v1MountPoints()).contains(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    assertThat(mounts.v2Directory("/docker/abc")).isNull();
  }

  @Test
  void prefersTheWholeHierarchyAndUnescapesMountPoints() throws IOException {
    CgroupMounts mounts = fixture("v2-namespaced.txt");
    assertThat(mounts.v2MountPoint()).isEqualTo(Path.of("/host/sys fs/cgroup"));
    assertThat(mounts.v2Root()).isEqualTo("/");
  }

  @Test
  void mapsPathsThroughAMountedSubtree() {
    CgroupMounts mounts =
        CgroupMounts.parse(
            List.of("600 590 0:26 /docker/abc /sys/fs/cgroup ro,relatime - cgroup2 cgroup ro"));
    assertThat(mounts.v2Root()).isEqualTo("/docker/abc");
    assertThat(mounts.v2Directory("/docker/abc")).isEqualTo(Path.of("/sys/fs/cgroup"));
    assertThat(mounts.v2Directory("/docker/abc/sub")).isEqualTo(Path.of("/sys/fs/cgroup/sub"));
    assertThat(mounts.v2Directory("/docker/abcdef")).isNull();
    assertThat(mounts.v2Directory("/elsewhere")).isNull();
  }

  @Test
  void noCgroupsAndJunkLines() {
    CgroupMounts mounts =
        CgroupMounts.parse(List.of("", "garbage", "1 2 3 - cgroup2", "27 1 254:0 / / rw - ext4 x"));
    assertThat(mounts.layout()).isEqualTo(Layout.NONE);
  }

  @Test
  void readsThisHost() throws IOException {
    // Whatever this host is, reading its table must work and agree with /proc/self/cgroup.
    CgroupMounts mounts = CgroupMounts.read(CgroupMounts.MOUNTINFO);
    assertThat(mounts.layout()).isNotNull();
    if (mounts.v2MountPoint() != null) {
      assertThat(mounts.v2MountPoint().resolve("cgroup.controllers")).exists();
    }
  }
}

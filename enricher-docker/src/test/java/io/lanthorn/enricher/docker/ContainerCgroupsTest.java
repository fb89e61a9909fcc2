package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.enricher.docker.CgroupNames.ContainerCgroup;
import io.lanthorn.enricher.docker.CgroupNames.Scheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a fake /proc and a fake cgroup2 mount made of ordinary directories. */
class ContainerCgroupsTest {
  static final String ID = CgroupNamesTest.ID;

  @TempDir Path root;
  Path proc;
  Path cgroup2;

  @BeforeEach
  void layout() throws IOException {
    proc = Files.createDirectories(root.resolve("proc"));
    cgroup2 = Files.createDirectories(root.resolve("cgroup2"));
  }

  private ContainerCgroups hybrid() {
    return new ContainerCgroups(new CgroupMounts(cgroup2, "/", List.of(root.resolve("cpu"))), proc);
  }

  private void process(long pid, String... cgroupLines) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.write(dir.resolve("cgroup"), List.of(cgroupLines));
  }

  private static long inode(Path dir) throws IOException {
    return (Long) Files.getAttribute(dir, "unix:ino");
  }

  @Test
  void findsTheV2LineWhereverItIs() throws IOException {
    process(42, "9:name=systemd:/docker/" + ID, "1:cpu:/docker/" + ID, "0::/docker/" + ID);
    assertThat(hybrid().v2PathOf(42)).isEqualTo("/docker/" + ID);
    assertThat(hybrid().v2PathOf(43)).isNull();
  }

  @Test
  void cgroupIdThroughThePidFollowsACustomParent() throws IOException {
    Path dir = Files.createDirectories(cgroup2.resolve("custom/parent/" + ID));
    process(42, "0::/custom/parent/" + ID);
    assertThat(hybrid().cgroupIdOf(ID, 42)).isEqualTo(inode(dir)).isNotZero();
  }

  @Test
  void cgroupIdAtDockerDefaultLocations() throws IOException {
    Path cgroupfs = Files.createDirectories(cgroup2.resolve("docker/" + ID));
    assertThat(hybrid().cgroupIdOf(ID, 0)).isEqualTo(inode(cgroupfs));

    String other = ID.replace('d', 'e');
    Path systemd =
        Files.createDirectories(cgroup2.resolve("system.slice/docker-" + other + ".scope"));
    assertThat(hybrid().cgroupIdOf(other, 0)).isEqualTo(inode(systemd));
  }

  @Test
  void noCgroupIdWhenGoneOrUnmounted() throws IOException {
    assertThat(hybrid().cgroupIdOf(ID, 0)).isZero();
    Files.createDirectories(cgroup2.resolve("docker/" + ID));
    var v1Only = new ContainerCgroups(new CgroupMounts(null, "/", List.of(root)), proc);
    assertThat(v1Only.cgroupIdOf(ID, 0)).isZero();
  }

  @Test
  void v1OnlyFallbackReadsAnyHierarchy() throws IOException {
    var v1Only = new ContainerCgroups(new CgroupMounts(null, "/", List.of(root)), proc);
    process(7, "11:memory:/docker/" + ID, "1:name=systemd:/docker/" + ID);
    process(8, "11:memory:/user.slice", "1:name=systemd:/user.slice/user-0.slice/session-1.scope");
    assertThat(v1Only.cgroupsOfProcess(7).container())
        .isEqualTo(new ContainerCgroup(ID, Scheme.UNSPECIFIED));
    assertThat(v1Only.cgroupsOfProcess(8).container()).isNull();
    assertThat(v1Only.cgroupsOfProcess(9)).as("process gone").isNull();
  }
}

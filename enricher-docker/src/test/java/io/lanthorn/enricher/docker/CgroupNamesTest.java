package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.enricher.docker.CgroupNames.ContainerCgroup;
import io.lanthorn.enricher.docker.CgroupNames.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupNamesTest {
  static final String ID = "d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97";

  @Test
  void bareIdIsDockerOrContainerdWithCgroupfs() {
    assertThat(CgroupNames.parse(ID)).isEqualTo(new ContainerCgroup(ID, Scheme.UNSPECIFIED));
  }

  @Test
  void dockerSystemdScope() {
    assertThat(CgroupNames.parse("docker-" + ID + ".scope"))
        .isEqualTo(new ContainerCgroup(ID, Scheme.DOCKER));
  }

  @Test
  void containerdCriScope() {
    assertThat(CgroupNames.parse("cri-containerd-" + ID + ".scope"))
        .isEqualTo(new ContainerCgroup(ID, Scheme.CONTAINERD));
  }

  @Test
  void crioScope() {
    assertThat(CgroupNames.parse("crio-" + ID + ".scope"))
        .isEqualTo(new ContainerCgroup(ID, Scheme.CRIO));
  }

  @Test
  void podmanScopeAndCgroupfs() {
    assertThat(CgroupNames.parse("libpod-" + ID + ".scope"))
        .isEqualTo(new ContainerCgroup(ID, Scheme.PODMAN));
    assertThat(CgroupNames.parse("libpod-" + ID)).isEqualTo(new ContainerCgroup(ID, Scheme.PODMAN));
  }

  @Test
  void onlyDockerAndBareIdsAreWorthAskingDocker() {
    assertThat(Scheme.DOCKER.mayBeDocker()).isTrue();
    assertThat(Scheme.UNSPECIFIED.mayBeDocker()).isTrue();
    assertThat(Scheme.CONTAINERD.mayBeDocker()).isFalse();
    assertThat(Scheme.CRIO.mayBeDocker()).isFalse();
    assertThat(Scheme.PODMAN.mayBeDocker()).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "/",
        "init.scope",
        "session-3.scope",
        "user@0.service",
        "docker.service",
        // 32 hex digits: this sandbox's own v1 memory cgroup, not a container
        "3db3300188e8e370c13b668fe3908bee",
        // one digit short, one too many, upper case, not hex
        "d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e9",
        "d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e970",
        "D6FE83A522F45350CD7B733B43CF9A4D91428EF1D869C91068191053BEE50E97",
        "g6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97",
        // monitors beside containers, not in them
        "libpod-conmon-d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97.scope",
        "crio-conmon-d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97.scope",
        // a scope suffix on the cgroupfs form, a missing suffix on a systemd form
        "d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97.scope",
        "docker-d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97",
        "podman-d6fe83a522f45350cd7b733b43cf9a4d91428ef1d869c91068191053bee50e97.scope"
      })
  void notAContainer(String name) {
    assertThat(CgroupNames.parse(name)).isNull();
  }

  @Test
  void pathFindsTheInnermostContainerFromTheLeafUp() {
    assertThat(CgroupNames.parsePath("/docker/" + ID))
        .isEqualTo(new ContainerCgroup(ID, Scheme.UNSPECIFIED));
    assertThat(CgroupNames.parsePath("/system.slice/docker-" + ID + ".scope/init.scope"))
        .isEqualTo(new ContainerCgroup(ID, Scheme.DOCKER));
    assertThat(
            CgroupNames.parsePath(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
                    + "cri-containerd-"
                    + ID
                    + ".scope"))
        .isEqualTo(new ContainerCgroup(ID, Scheme.CONTAINERD));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"/", "/user.slice/user-0.slice/session-1.scope", "/docker", "//"})
  void pathWithoutContainer(String path) {
    assertThat(CgroupNames.parsePath(path)).isNull();
  }

  @Test
  void containerIds() {
    assertThat(CgroupNames.isContainerId(ID)).isTrue();
    assertThat(CgroupNames.isContainerId(ID.substring(1))).isFalse();
    assertThat(CgroupNames.isContainerId(null)).isFalse();
  }
}

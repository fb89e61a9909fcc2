package io.lanthorn.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityTest {
  @TempDir Path dir;

  @Test
  void detectsTheHostnameAndMachineId() throws Exception {
    Path hostname = Files.writeString(dir.resolve("hostname"), "box\n");
    Path machineId = Files.writeString(dir.resolve("machine-id"), "abc123\n");

    assertThat(HostIdentity.of("", "", hostname, machineId))
        .isEqualTo(new HostIdentity("box", "abc123"));
  }

  @Test
  void configurationWins() throws Exception {
    Path hostname = Files.writeString(dir.resolve("hostname"), "box\n");
    Path machineId = Files.writeString(dir.resolve("machine-id"), "abc123\n");

    assertThat(HostIdentity.of("a", " id-a ", hostname, machineId))
        .isEqualTo(new HostIdentity("a", "id-a"));
  }

  @Test
  void withoutAMachineIdTheNameIsTheId() {
    assertThat(HostIdentity.of("a", "", dir.resolve("none"), dir.resolve("none")))
        .isEqualTo(new HostIdentity("a", "a"));
  }
}

package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import io.lanthorn.config.HoconPluginConfig;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DockerEnricherConfigTest {
  static Config defaults() {
    return ConfigFactory.parseResources("reference.conf").getConfig(DockerEnricher.NAME);
  }

  static PluginConfig plugin(Config config) {
    return new HoconPluginConfig(DockerEnricher.NAME, config);
  }

  static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(defaults());
  }

  @Test
  void referenceDefaults() throws PluginException {
    DockerEnricherConfig config = DockerEnricherConfig.from(plugin(defaults()));
    assertThat(config.socket()).isEqualTo(URI.create("unix:///var/run/docker.sock"));
    assertThat(config.maxWaitPerBatch()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.tombstoneTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.cacheSize()).isEqualTo(4096);
  }

  @Test
  void referenceHoldsOnlyItsSection() {
    // This module's own file (its classes come first on the class path), not every
    // reference.conf of the test class path: api-testkit brings the launcher's along.
    assertThat(
            ConfigFactory.parseURL(DockerEnricher.class.getResource("/reference.conf"))
                .root()
                .keySet())
        .containsExactly(DockerEnricher.NAME);
  }

  @Test
  void socketAsAPath() throws PluginException {
    assertThat(
            DockerEnricherConfig.from(plugin(with("socket = /run/user/1000/docker.sock"))).socket())
        .isEqualTo(URI.create("unix:///run/user/1000/docker.sock"));
  }

  @Test
  void badValuesAreOneClearLine() {
    assertThatThrownBy(
            () -> DockerEnricherConfig.from(plugin(with("socket = \"tcp://localhost:2375\""))))
        .isInstanceOf(PluginException.class)
        .hasMessage(
            "enricher-docker.socket 'tcp://localhost:2375' is not a unix socket: use"
                + " unix:///var/run/docker.sock or another absolute path");
    assertThatThrownBy(() -> DockerEnricherConfig.from(plugin(with("call-timeout = 0s"))))
        .hasMessageStartingWith("enricher-docker.call-timeout must be positive");
    assertThatThrownBy(() -> DockerEnricherConfig.from(plugin(with("max-wait-per-batch = -1ms"))))
        .hasMessageStartingWith("enricher-docker.max-wait-per-batch must not be negative");
    assertThatThrownBy(() -> DockerEnricherConfig.from(plugin(with("cache-size = 3"))))
        .hasMessageStartingWith("enricher-docker.cache-size must be at least 16");
    assertThatThrownBy(() -> DockerEnricherConfig.from(plugin(with("tombstone-ttl = soon"))))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("tombstone-ttl");
  }

  @Test
  void waitingCanBeSwitchedOff() throws PluginException {
    assertThat(
            DockerEnricherConfig.from(plugin(with("max-wait-per-batch = 0ms"))).maxWaitPerBatch())
        .isZero();
  }
}

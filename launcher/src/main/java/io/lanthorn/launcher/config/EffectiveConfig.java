package io.lanthorn.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.config.HoconPluginConfig;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration: every layer merged, every installed plugin's section checked against
 * its reference.
 */
public final class EffectiveConfig {
  /** The key the launcher owns in every plugin section. */
  public static final String ENABLED = "enabled";

  private final Config config;
  private final Map<String, Enablement> enablements;
  private final List<String> warnings;

  EffectiveConfig(Config config, Map<String, Enablement> enablements, List<String> warnings) {
    this.config = config;
    this.enablements = Map.copyOf(enablements);
    this.warnings = List.copyOf(warnings);
  }

  /** The launcher's own {@code lanthorn} section. */
  public Config launcher() {
    return config.getConfig(ConfigLoader.LAUNCHER_SECTION);
  }

  /**
   * A plugin's section as the plugin receives it: without the launcher-owned {@code enabled} key;
   * empty when neither the plugin nor the user defines it.
   */
  public Config section(String name) {
    return config.hasPath(name)
        ? config.getConfig(name).withoutPath(ENABLED)
        : ConfigFactory.empty("no " + name + " section");
  }

  /** A plugin's section as the API's configuration, as the plugin receives it. */
  public PluginConfig pluginConfig(String name) {
    return new HoconPluginConfig(name, section(name));
  }

  /** Whether the plugin with this section runs, and why. */
  public Enablement enablement(String section) {
    return enablements.getOrDefault(section, new Enablement(true, "default"));
  }

  /** Things the user should know but that do not stop the agent, one line each. */
  public List<String> warnings() {
    return warnings;
  }

  /** The whole merged tree, for tests and debugging. */
  public Config root() {
    return config;
  }
}

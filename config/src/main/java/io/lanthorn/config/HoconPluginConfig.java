package io.lanthorn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plugin's section of the agent's HOCON configuration, as the api's {@link PluginConfig}: the
 * agent reads HOCON with typesafe-config, and plugins see only this interface, never the library.
 */
public final class HoconPluginConfig implements PluginConfig {
  private final String section;
  private final Config config;

  /**
   * @param section the section's name, for messages
   * @param config the section's content (paths relative to it), resolved
   */
  public HoconPluginConfig(String section, Config config) {
    this.section = section;
    this.config = config;
  }

  /** The underlying tree, for the agent and tests. */
  public Config hocon() {
    return config;
  }

  @Override
  public String section() {
    return section;
  }

  @Override
  public boolean hasPath(String path) {
    return read(path, Config::hasPath);
  }

  @Override
  public String getString(String path) {
    return read(path, Config::getString);
  }

  @Override
  public boolean getBoolean(String path) {
    return read(path, Config::getBoolean);
  }

  @Override
  public int getInt(String path) {
    return read(path, Config::getInt);
  }

  @Override
  public long getLong(String path) {
    return read(path, Config::getLong);
  }

  @Override
  public double getDouble(String path) {
    return read(path, Config::getDouble);
  }

  @Override
  public Duration getDuration(String path) {
    return read(path, Config::getDuration);
  }

  @Override
  public long getBytes(String path) {
    return read(path, Config::getBytes);
  }

  @Override
  public List<String> getStringList(String path) {
    return List.copyOf(read(path, Config::getStringList));
  }

  @Override
  public List<PluginConfig> getConfigList(String path) {
    List<? extends Config> elements = read(path, Config::getConfigList);
    List<PluginConfig> list = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      list.add(new HoconPluginConfig(section + "." + path + "." + i, elements.get(i)));
    }
    return List.copyOf(list);
  }

  @Override
  public Map<String, String> getStringMap(String path) {
    ConfigObject object = read(path, Config::getObject);
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      Object value = entry.getValue().unwrapped();
      if (value instanceof Map<?, ?> || value instanceof List<?>) {
        throw new PluginConfigException(
            section + "." + path + "." + entry.getKey() + " must be a single value", null);
      }
      map.put(entry.getKey(), String.valueOf(value));
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String origin(String path) {
    if (!config.hasPath(path)) {
      return "the plugin's default";
    }
    String description = config.getValue(path).origin().description();
    return description.startsWith("env variables") ? "an environment override" : description;
  }

  private interface Getter<T> {
    T get(Config config, String path);
  }

  private <T> T read(String path, Getter<T> getter) {
    try {
      return getter.get(config, path);
    } catch (ConfigException e) {
      throw new PluginConfigException(section + "." + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return section + " " + config.root().render();
  }
}

package io.lanthorn.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.lanthorn.config.ConfigValidationException;
import io.lanthorn.config.ConfigValidator;
import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import io.lanthorn.launcher.plugin.InstalledPlugin;
import io.lanthorn.launcher.plugin.PluginCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the effective configuration from its layers, highest first:
 *
 * <ol>
 *   <li>command-line flags ({@link FlagOverride});
 *   <li>environment overrides: typesafe's {@code CONFIG_FORCE_} variables ({@code
 *       CONFIG_FORCE_sink__jsonl_path=/x} sets {@code sink-jsonl.path}: {@code _} is a dot, {@code
 *       __} a dash, {@code ___} an underscore);
 *   <li>the user's file ({@code --config}, by default {@code conf/lanthorn.conf});
 *   <li>each plugin's {@code reference.conf}, read through that plugin's own class loader and
 *       trimmed to its own sections, and the launcher's reference ({@code lanthorn} section only).
 * </ol>
 *
 * <p>Then every installed section is validated against its reference ({@link ConfigValidator}); a
 * section for a plugin that is not installed gives a warning.
 */
public final class ConfigLoader {
  /** The launcher's own section. */
  public static final String LAUNCHER_SECTION = "lanthorn";

  private final Config launcherReference;
  private final Config environment;

  /**
   * @param launcherLoader where the launcher's {@code reference.conf} is read from
   * @param environment the environment layer, normally {@link
   *     ConfigFactory#systemEnvironmentOverrides()}
   */
  public ConfigLoader(ClassLoader launcherLoader, Config environment) {
    this.launcherReference =
        ConfigFactory.parseResources(launcherLoader, "reference.conf")
            .withOnlyPath(LAUNCHER_SECTION);
    this.environment = environment;
  }

  /**
   * Loads and validates the configuration.
   *
   * @param catalog the installed plugins, whose sections are validated
   * @param userFile the user's file, or {@code null} for none
   * @param flags values set by command-line flags
   * @throws LauncherException with {@link ExitCodes#CONFIG} for a bad file, key or value
   */
  public EffectiveConfig load(PluginCatalog catalog, Path userFile, List<FlagOverride> flags) {
    Map<String, Config> references = pluginReferences(catalog);
    Config user = userFile == null ? ConfigFactory.empty() : parseUserFile(userFile);
    Config flagLayer = ConfigFactory.empty();
    for (FlagOverride flag : flags) {
      flagLayer =
          flagLayer.withFallback(
              ConfigFactory.parseMap(Map.of(flag.path(), flag.value()), flag.flag()));
    }
    Config reference = launcherReference;
    for (var entry : references.entrySet()) {
      String enabledPath = entry.getKey() + "." + EffectiveConfig.ENABLED;
      reference =
          reference
              .withFallback(entry.getValue())
              .withFallback(
                  ConfigFactory.empty("launcher default")
                      .withValue(enabledPath, ConfigValueFactory.fromAnyRef(true)));
    }
    Config merged;
    try {
      merged =
          flagLayer.withFallback(environment).withFallback(user).withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw new LauncherException(ExitCodes.CONFIG, "configuration: " + e.getMessage(), e);
    }
    List<String> warnings = validate(merged, reference, references.keySet());
    Map<String, Enablement> enablements = new HashMap<>();
    for (String section : references.keySet()) {
      String path = section + "." + EffectiveConfig.ENABLED;
      enablements.put(
          section,
          new Enablement(
              readBoolean(merged, path), decidedBy(path, flags, user, references.get(section))));
    }
    return new EffectiveConfig(merged, enablements, warnings);
  }

  /**
   * Each installed plugin's reference: the section named after it in its own {@code
   * reference.conf}; empty for a plugin without one, so its section accepts only {@code enabled}.
   */
  private static Map<String, Config> pluginReferences(PluginCatalog catalog) {
    Map<String, Config> references = new LinkedHashMap<>();
    for (InstalledPlugin plugin : catalog.plugins()) {
      Config pluginReference = parsePluginReference(plugin);
      references.put(
          plugin.name(),
          pluginReference.hasPath(plugin.name())
              ? pluginReference.withOnlyPath(plugin.name())
              : ConfigFactory.empty());
    }
    return references;
  }

  private static Config parsePluginReference(InstalledPlugin plugin) {
    try {
      return ConfigFactory.parseResources(
          plugin.loader(),
          "reference.conf",
          ConfigParseOptions.defaults().setClassLoader(plugin.loader()));
    } catch (ConfigException e) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugin " + plugin.name() + ": its reference.conf is invalid: " + e.getMessage(),
          e);
    }
  }

  private static Config parseUserFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new LauncherException(
          ExitCodes.CONFIG,
          "configuration: " + file + " does not exist or is not a file: check --config");
    }
    try {
      return ConfigFactory.parseFile(
          file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new LauncherException(ExitCodes.CONFIG, "configuration: " + e.getMessage(), e);
    }
  }

  private List<String> validate(Config merged, Config reference, Set<String> installed) {
    List<String> warnings = new ArrayList<>();
    for (var entry : merged.root().entrySet()) {
      String section = entry.getKey();
      ConfigValue value = entry.getValue();
      if (section.equals(LAUNCHER_SECTION) || installed.contains(section)) {
        if (!(value instanceof ConfigObject object)) {
          throw new LauncherException(
              ExitCodes.CONFIG,
              "configuration: "
                  + section
                  + " must be a section { ... }, but "
                  + ConfigValidator.origin(value)
                  + " sets it to a "
                  + value.valueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
          ConfigValidator.validate(section, reference.getObject(section), object);
        } catch (ConfigValidationException e) {
          throw new LauncherException(ExitCodes.CONFIG, e.getMessage(), e);
        }
      } else if (value.valueType() == ConfigValueType.OBJECT) {
        warnings.add(
            "configuration: section "
                + section
                + " ("
                + ConfigValidator.origin(value)
                + ") is for a plugin that is not installed: ignored");
      } else {
        throw new LauncherException(
            ExitCodes.CONFIG,
            "configuration: unknown key "
                + section
                + " ("
                + ConfigValidator.origin(value)
                + "): top-level keys are lanthorn and plugin sections");
      }
    }
    return warnings;
  }

  private static boolean readBoolean(Config merged, String path) {
    // Validation already checked the value reads as a boolean.
    return merged.getBoolean(path);
  }

  private String decidedBy(
      String path, List<FlagOverride> flags, Config user, Config pluginReference) {
    for (FlagOverride flag : flags) {
      if (flag.path().equals(path)) {
        return flag.flag();
      }
    }
    if (environment.hasPath(path)) {
      return "environment override";
    }
    if (user.hasPath(path)) {
      return ConfigValidator.origin(user.getValue(path));
    }
    if (pluginReference.hasPath(path)) {
      return "plugin default";
    }
    return "default";
  }
}

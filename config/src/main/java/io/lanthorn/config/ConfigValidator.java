package io.lanthorn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a configuration section against its reference, key by key.
 *
 * <p>Typesafe's {@code checkValid} accepts unknown keys and lets any string pass for a number, so
 * this walks the tree itself. The reference decides:
 *
 * <ul>
 *   <li>every key must exist in the reference, except inside an object the reference leaves empty
 *       ({@code labels {}}), which holds free-form keys;
 *   <li>numbers and booleans must be numbers and booleans, or strings that read as one (environment
 *       overrides are always strings);
 *   <li>a reference string that reads as a duration ({@code 250ms}) or a size ({@code 8M}) makes
 *       the key a duration or a size;
 *   <li>lists must be lists, their elements typed like the reference's first element;
 *   <li>a {@code null} in the reference accepts anything.
 * </ul>
 */
public final class ConfigValidator {
  private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("\\s*[0-9.]+\\s*[a-zA-Z]+\\s*");
  private static final Set<String> BOOLEAN_WORDS =
      Set.of("true", "false", "yes", "no", "on", "off");

  private ConfigValidator() {}

  /**
   * Checks {@code actual} against {@code reference}.
   *
   * @param path the section's path, e.g. {@code sink-jsonl}
   * @throws ConfigValidationException naming the first bad key, with its full path and origin; the
   *     api-testkit calls this too, so a test's overrides are refused exactly as the agent would
   */
  public static void validate(String path, ConfigObject reference, ConfigObject actual) {
    checkObject(path, reference, actual);
  }

  private static void checkObject(String path, ConfigObject reference, ConfigObject actual) {
    if (reference.isEmpty()) {
      return; // an empty object in the reference is a free-form map (sections never are empty)
    }
    for (var entry : actual.entrySet()) {
      String childPath = path + "." + ConfigUtil.joinPath(entry.getKey());
      ConfigValue ref = reference.get(entry.getKey());
      if (ref == null) {
        throw new ConfigValidationException(
            "configuration: unknown key "
                + childPath
                + " ("
                + origin(entry.getValue())
                + "); "
                + path
                + " accepts: "
                + String.join(", ", new TreeSet<>(reference.keySet())));
      }
      checkValue(childPath, ref, entry.getValue());
    }
  }

  private static void checkValue(String path, ConfigValue ref, ConfigValue value) {
    if (ref.valueType() == ConfigValueType.NULL) {
      return;
    }
    if (value.valueType() == ConfigValueType.NULL) {
      throw wrongType(path, value, "set (it has no default of null)");
    }
    switch (ref.valueType()) {
      case OBJECT -> {
        if (!(value instanceof ConfigObject object)) {
          throw wrongType(path, value, "an object { ... }");
        }
        checkObject(path, (ConfigObject) ref, object);
      }
      case LIST -> checkList(path, (ConfigList) ref, value);
      case NUMBER -> {
        if (value.valueType() != ConfigValueType.NUMBER && !readsAsNumber(value)) {
          throw wrongType(path, value, "a number");
        }
      }
      case BOOLEAN -> {
        if (value.valueType() != ConfigValueType.BOOLEAN && !readsAsBoolean(value)) {
          throw wrongType(path, value, "true or false");
        }
      }
      case STRING -> checkString(path, ref, value);
      default -> throw new IllegalStateException("unexpected reference type " + ref.valueType());
    }
  }

  private static void checkList(String path, ConfigList ref, ConfigValue value) {
    if (value instanceof ConfigObject object && numericKeys(object)) {
      return; // typesafe reads {0 = a, 1 = b} (e.g. from environment overrides) as a list
    }
    if (!(value instanceof ConfigList list)) {
      throw wrongType(path, value, "a list [ ... ]");
    }
    if (ref.isEmpty()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      checkValue(path + "." + i, ref.get(0), list.get(i));
    }
  }

  private static void checkString(String path, ConfigValue ref, ConfigValue value) {
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      throw wrongType(path, value, "a single value");
    }
    String refText = String.valueOf(ref.unwrapped());
    if (!NUMBER_WITH_UNIT.matcher(refText).matches()) {
      return;
    }
    if (reads(ref, Config::getDuration)) {
      if (!reads(value, Config::getDuration)) {
        throw wrongType(path, value, "a duration like " + refText + " (units: ms, s, m, h, d)");
      }
    } else if (reads(ref, Config::getBytes) && !reads(value, Config::getBytes)) {
      throw wrongType(path, value, "a size like " + refText + " (units: K, M, G)");
    }
  }

  private interface Reader {
    Object read(Config config, String path);
  }

  private static boolean reads(ConfigValue value, Reader reader) {
    try {
      reader.read(ConfigFactory.empty().withValue("v", value), "v");
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }

  private static boolean readsAsNumber(ConfigValue value) {
    if (value.valueType() != ConfigValueType.STRING) {
      return false;
    }
    try {
      Double.parseDouble(((String) value.unwrapped()).trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean readsAsBoolean(ConfigValue value) {
    return value.valueType() == ConfigValueType.STRING
        && BOOLEAN_WORDS.contains(((String) value.unwrapped()).trim().toLowerCase(Locale.ROOT));
  }

  private static boolean numericKeys(ConfigObject object) {
    return object.keySet().stream().allMatch(k -> k.chars().allMatch(Character::isDigit));
  }

  private static ConfigValidationException wrongType(
      String path, ConfigValue value, String expected) {
    return new ConfigValidationException(
        "configuration: "
            + path
            + " must be "
            + expected
            + ", but "
            + origin(value)
            + " sets it to "
            + value.render(ConfigRenderOptions.concise()));
  }

  /** Where a value was set, as users read it: a file and line, or "an environment override". */
  public static String origin(ConfigValue value) {
    String description = value.origin().description();
    return description.startsWith("env variables") ? "an environment override" : description;
  }
}

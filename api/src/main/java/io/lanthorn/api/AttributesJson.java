package io.lanthorn.api;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one JSON encoding of attributes every core sink uses: an object keyed by attribute name, keys
 * sorted (so equal sets give equal text), values keeping their {@link AttributeType} (strings,
 * numbers, booleans, objects of strings with sorted keys). SQLite's {@code json_extract} and any
 * JSON parser read it.
 */
public final class AttributesJson {
  private AttributesJson() {}

  /** Every attribute as a JSON object; {@code {}} when there is none. */
  public static String of(Attributes attributes) {
    return except(attributes, Set.of(), "{}");
  }

  /**
   * Every attribute whose key is not in {@code excluded} (because the sink stores those elsewhere)
   * as a JSON object, or {@code null} when none is left.
   */
  public static String except(Attributes attributes, Set<AttributeKey<?>> excluded) {
    return except(attributes, excluded, null);
  }

  private static String except(
      Attributes attributes, Set<AttributeKey<?>> excluded, String whenEmpty) {
    TreeMap<String, Object> rest = new TreeMap<>();
    attributes.forEach(
        (key, value) -> {
          if (!excluded.contains(key)) {
            rest.put(key.name(), value);
          }
        });
    if (rest.isEmpty()) {
      return whenEmpty;
    }
    StringBuilder json = new StringBuilder(64 * rest.size());
    json.append('{');
    for (Map.Entry<String, Object> entry : rest.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      appendString(json, entry.getKey());
      json.append(':');
      appendValue(json, entry.getValue());
    }
    return json.append('}').toString();
  }

  /** A string map as a JSON object with sorted keys, or {@code null} for {@code null}. */
  public static String ofMap(Map<String, String> map) {
    if (map == null) {
      return null;
    }
    StringBuilder json = new StringBuilder(32 * (map.size() + 1));
    appendMap(json, map);
    return json.toString();
  }

  private static void appendValue(StringBuilder json, Object value) {
    switch (value) {
      case String text -> appendString(json, text);
      case Long number -> json.append(number.longValue());
      case Double number -> appendDouble(json, number);
      case Boolean flag -> json.append(flag.booleanValue());
      case Map<?, ?> map -> {
        @SuppressWarnings("unchecked") // AttributeType.STRING_MAP is the only map type
        Map<String, String> strings = (Map<String, String>) map;
        appendMap(json, strings);
      }
      default -> appendString(json, value.toString());
    }
  }

  private static void appendDouble(StringBuilder json, double number) {
    if (Double.isFinite(number)) {
      json.append(number);
    } else {
      appendString(json, Double.toString(number)); // JSON has no NaN or Infinity
    }
  }

  private static void appendMap(StringBuilder json, Map<String, String> map) {
    json.append('{');
    boolean first = true;
    for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      appendString(json, entry.getKey());
      json.append(':');
      appendString(json, entry.getValue());
    }
    json.append('}');
  }

  /** Appends a JSON string literal (RFC 8259 escaping). */
  static void appendString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}

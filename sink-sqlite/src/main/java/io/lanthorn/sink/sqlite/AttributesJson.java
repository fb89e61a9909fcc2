package io.lanthorn.sink.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.Attributes;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Encodes attributes that have no column of their own as JSON text, which SQLite's {@code
 * json_extract} reads. Keys are sorted so equal maps give equal text.
 */
final class AttributesJson {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private AttributesJson() {}

  /** A string map as a JSON object, or {@code null} for {@code null}. */
  static String of(Map<String, String> map) {
    if (map == null) {
      return null;
    }
    return write(json -> writeMap(json, map));
  }

  /**
   * Every attribute whose key is not in {@code stored} as a JSON object keyed by attribute name, or
   * {@code null} when there is none.
   */
  static String unstored(Attributes attributes, Set<AttributeKey<?>> stored) {
    if (attributes.isEmpty() || stored.containsAll(attributes.asMap().keySet())) {
      return null;
    }
    Map<String, Object> rest = new TreeMap<>();
    attributes.forEach(
        (key, value) -> {
          if (!stored.contains(key)) {
            rest.put(key.name(), value);
          }
        });
    return write(
        json -> {
          json.writeStartObject();
          for (Map.Entry<String, Object> entry : rest.entrySet()) {
            json.writeFieldName(entry.getKey());
            writeValue(json, entry.getValue());
          }
          json.writeEndObject();
        });
  }

  /**
   * A JSON object of strings, as {@link #of} writes it, back as a map; {@code null} when the text
   * is anything else.
   */
  static Map<String, String> readMap(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    try (JsonParser json = JSON.createParser(text)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String key = json.currentName();
        if (json.nextToken() != JsonToken.VALUE_STRING) {
          return null;
        }
        map.put(key, json.getText());
      }
      return json.currentToken() == JsonToken.END_OBJECT && json.nextToken() == null ? map : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    switch (value) {
      case String text -> json.writeString(text);
      case Long number -> json.writeNumber(number);
      case Double number -> json.writeNumber(number);
      case Boolean flag -> json.writeBoolean(flag);
      case Map<?, ?> map -> {
        @SuppressWarnings("unchecked") // AttributeType.STRING_MAP is the only map type
        Map<String, String> strings = (Map<String, String>) map;
        writeMap(json, strings);
      }
      default -> json.writeString(value.toString());
    }
  }

  private static void writeMap(JsonGenerator json, Map<String, String> map) throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
  }

  private interface JsonWriting {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static String write(JsonWriting writing) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      writing.writeTo(json);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return text.toString();
  }
}

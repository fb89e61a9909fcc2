package io.lanthorn.sink.sqlite.write;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back the container labels the sink stored as JSON text ({@code
 * io.lanthorn.api.AttributesJson#ofMap}, the api's one encoding, writes them).
 */
final class LabelsJson {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private LabelsJson() {}

  /**
   * A JSON object of strings, as {@code AttributesJson.ofMap} writes it, back as a map; {@code
   * null} when the text is anything else.
   */
  static Map<String, String> read(String text) {
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
}

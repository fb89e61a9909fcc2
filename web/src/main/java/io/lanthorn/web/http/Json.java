package io.lanthorn.web.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/** Plain values (maps, lists, strings, numbers, booleans, null) as JSON, with jackson-core. */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  static byte[] bytes(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator generator, Object value) throws IOException {
    switch (value) {
      case null -> generator.writeNull();
      case Map<?, ?> map -> {
        generator.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          generator.writeFieldName(String.valueOf(entry.getKey()));
          write(generator, entry.getValue());
        }
        generator.writeEndObject();
      }
      case Collection<?> list -> {
        generator.writeStartArray();
        for (Object element : list) {
          write(generator, element);
        }
        generator.writeEndArray();
      }
      case Boolean b -> generator.writeBoolean(b);
      case Integer i -> generator.writeNumber(i);
      case Long l -> generator.writeNumber(l);
      case Double d -> generator.writeNumber(d);
      case Number n -> generator.writeNumber(n.toString());
      default -> generator.writeString(value.toString());
    }
  }
}

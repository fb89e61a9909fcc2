package io.lanthorn.api;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed name for a fact an {@link Enricher} adds to an event.
 *
 * <p>Names follow OpenTelemetry's conventions where one exists ({@code container.id}, {@code
 * container.name}, {@code process.command_line}): dot-separated, lower-case segments. Third-party
 * enrichers should prefix their own keys with their project name. Two keys are equal when their
 * names and types are.
 *
 * @param <T> the Java type of the values
 */
@SuppressWarnings("UnusedTypeParameter") // T types the values at compile time only
public final class AttributeKey<T> {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

  private final String name;
  private final AttributeType type;

  private AttributeKey(String name, AttributeType type) {
    if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
      throw new IllegalArgumentException(
          "attribute key '"
              + name
              + "' must be lower-case dot-separated words like container.name");
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
  }

  /** A key whose values are strings. */
  public static AttributeKey<String> stringKey(String name) {
    return new AttributeKey<>(name, AttributeType.STRING);
  }

  /** A key whose values are 64-bit integers. */
  public static AttributeKey<Long> longKey(String name) {
    return new AttributeKey<>(name, AttributeType.LONG);
  }

  /** A key whose values are doubles. */
  public static AttributeKey<Double> doubleKey(String name) {
    return new AttributeKey<>(name, AttributeType.DOUBLE);
  }

  /** A key whose values are booleans. */
  public static AttributeKey<Boolean> booleanKey(String name) {
    return new AttributeKey<>(name, AttributeType.BOOLEAN);
  }

  /** A key whose values are string-to-string maps, such as labels. */
  public static AttributeKey<Map<String, String>> stringMapKey(String name) {
    return new AttributeKey<>(name, AttributeType.STRING_MAP);
  }

  /** The dotted name, e.g. {@code container.name}. */
  public String name() {
    return name;
  }

  /** The value type. */
  public AttributeType type() {
    return type;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttributeKey<?> key && key.name.equals(name) && key.type == type;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}

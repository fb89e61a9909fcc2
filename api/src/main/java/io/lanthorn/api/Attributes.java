package io.lanthorn.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable, insertion-ordered set of typed facts about an event.
 *
 * <p>Enrichers build a new instance with {@link #toBuilder()} and attach it with {@link
 * ConnectionEvent#withAttributes(Attributes)}. Values are never {@code null}: an unknown fact is
 * simply absent.
 */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(Map.of());

  private final Map<AttributeKey<?>, Object> values;

  private Attributes(Map<AttributeKey<?>, Object> values) {
    this.values = values;
  }

  /** The instance with no attributes. */
  public static Attributes empty() {
    return EMPTY;
  }

  /** A builder starting from nothing. */
  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /** A builder starting from these attributes. */
  public Builder toBuilder() {
    return new Builder(new LinkedHashMap<>(values));
  }

  /** The value for a key, or {@code null} when absent. */
  public <T> T get(AttributeKey<T> key) {
    @SuppressWarnings("unchecked") // put() only accepts values of the key's type
    T value = (T) values.get(key);
    return value;
  }

  /** Whether a value is present for the key. */
  public boolean contains(AttributeKey<?> key) {
    return values.containsKey(key);
  }

  /** The number of attributes. */
  public int size() {
    return values.size();
  }

  /** Whether there are no attributes. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Visits every attribute in insertion order. */
  public void forEach(BiConsumer<AttributeKey<?>, Object> action) {
    values.forEach(action);
  }

  /** An unmodifiable view keyed by attribute key. */
  public Map<AttributeKey<?>, Object> asMap() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Attributes attributes && attributes.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Collects attributes; not thread-safe. */
  public static final class Builder {
    private final Map<AttributeKey<?>, Object> values;

    private Builder(Map<AttributeKey<?>, Object> values) {
      this.values = values;
    }

    /**
     * Sets a value, replacing any earlier one; a {@code null} value removes the key. Maps are
     * copied.
     */
    public <T> Builder put(AttributeKey<T> key, T value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        values.remove(key);
        return this;
      }
      if (!key.type().javaType().isInstance(value)) {
        throw new IllegalArgumentException(
            "attribute " + key.name() + " expects " + key.type() + ", got " + value.getClass());
      }
      values.put(key, value instanceof Map<?, ?> map ? Map.copyOf(map) : value);
      return this;
    }

    /** Copies every attribute of another set, replacing values for the same keys. */
    public Builder putAll(Attributes other) {
      values.putAll(other.values);
      return this;
    }

    /** Removes a key. */
    public Builder remove(AttributeKey<?> key) {
      values.remove(key);
      return this;
    }

    /** The immutable result. */
    public Attributes build() {
      return values.isEmpty()
          ? EMPTY
          : new Attributes(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}

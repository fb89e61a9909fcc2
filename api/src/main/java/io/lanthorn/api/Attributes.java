package io.lanthorn.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable, insertion-ordered set of typed facts about an event.
 *
 * <p>Enrichers build a new instance with {@link #toBuilder()} and attach it with {@link
 * ConnectionEvent#withAttributes(Attributes)}, or add one fact with {@link
 * Event#withAttribute(AttributeKey, Object)}. Values are never {@code null}: an unknown fact is
 * simply absent.
 *
 * <p>The facts are two parallel arrays, not a map: an event carries a dozen of them, every enricher
 * copies the set to add its own, and an array copy costs a fraction of a hash map's (a lookup scans
 * a dozen references, as quick as hashing). Two sets are equal when they hold the same facts, in
 * any order, as maps are.
 */
public final class Attributes {
  private static final AttributeKey<?>[] NO_KEYS = new AttributeKey<?>[0];
  private static final Object[] NO_VALUES = new Object[0];
  private static final Attributes EMPTY = new Attributes(NO_KEYS, NO_VALUES);

  /** Distinct keys in insertion order; {@code values[i]} belongs to {@code keys[i]}. */
  private final AttributeKey<?>[] keys;

  private final Object[] values;

  private Attributes(AttributeKey<?>[] keys, Object[] values) {
    this.keys = keys;
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
    return new Builder(map());
  }

  /**
   * A copy with one attribute set (replacing its value) or, for a {@code null} value, removed: one
   * array copy, what {@link Event#withAttribute} uses.
   */
  <T> Attributes with(AttributeKey<T> key, T value) {
    Objects.requireNonNull(key, "key");
    int at = indexOf(key);
    if (value == null) {
      if (at < 0) {
        return this;
      }
      if (keys.length == 1) {
        return EMPTY;
      }
      AttributeKey<?>[] newKeys = new AttributeKey<?>[keys.length - 1];
      Object[] newValues = new Object[keys.length - 1];
      System.arraycopy(keys, 0, newKeys, 0, at);
      System.arraycopy(keys, at + 1, newKeys, at, keys.length - at - 1);
      System.arraycopy(values, 0, newValues, 0, at);
      System.arraycopy(values, at + 1, newValues, at, keys.length - at - 1);
      return new Attributes(newKeys, newValues);
    }
    Object stored = checked(key, value);
    if (at >= 0) {
      Object[] newValues = values.clone();
      newValues[at] = stored;
      return new Attributes(keys, newValues); // the keys are shared: never written
    }
    AttributeKey<?>[] newKeys = Arrays.copyOf(keys, keys.length + 1);
    Object[] newValues = Arrays.copyOf(values, values.length + 1);
    newKeys[keys.length] = key;
    newValues[values.length] = stored;
    return new Attributes(newKeys, newValues);
  }

  /** The value for a key, or {@code null} when absent. */
  public <T> T get(AttributeKey<T> key) {
    int at = indexOf(key);
    @SuppressWarnings("unchecked") // put() and with() only accept values of the key's type
    T value = at < 0 ? null : (T) values[at];
    return value;
  }

  /** Whether a value is present for the key. */
  public boolean contains(AttributeKey<?> key) {
    return indexOf(key) >= 0;
  }

  @SuppressWarnings("ReferenceEquality") // a shortcut only: equals() decides after it
  private int indexOf(AttributeKey<?> key) {
    // Keys are nearly always the same constants: compare references first, names only after.
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** The number of attributes. */
  public int size() {
    return keys.length;
  }

  /** Whether there are no attributes. */
  public boolean isEmpty() {
    return keys.length == 0;
  }

  /** Visits every attribute in insertion order. */
  public void forEach(BiConsumer<AttributeKey<?>, Object> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  /** An unmodifiable map keyed by attribute key, in insertion order (a copy, made per call). */
  public Map<AttributeKey<?>, Object> asMap() {
    return Collections.unmodifiableMap(map());
  }

  private Map<AttributeKey<?>, Object> map() {
    Map<AttributeKey<?>, Object> map = LinkedHashMap.newLinkedHashMap(keys.length);
    forEach(map::put);
    return map;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Attributes attributes && attributes.map().equals(map());
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < keys.length; i++) {
      hash += keys[i].hashCode() ^ values[i].hashCode(); // as Map.hashCode() sums its entries'
    }
    return hash;
  }

  @Override
  public String toString() {
    return map().toString();
  }

  private static Object checked(AttributeKey<?> key, Object value) {
    if (!key.type().javaType().isInstance(value)) {
      throw new IllegalArgumentException(
          "attribute " + key.name() + " expects " + key.type() + ", got " + value.getClass());
    }
    return value instanceof Map<?, ?> map ? Map.copyOf(map) : value;
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
      values.put(key, checked(key, value));
      return this;
    }

    /** Copies every attribute of another set, replacing values for the same keys. */
    public Builder putAll(Attributes other) {
      other.forEach(values::put);
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
          : new Attributes(values.keySet().toArray(NO_KEYS), values.values().toArray(NO_VALUES));
    }
  }
}

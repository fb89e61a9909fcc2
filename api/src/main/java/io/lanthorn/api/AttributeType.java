package io.lanthorn.api;

import java.util.Map;

/** The value type of an {@link AttributeKey}; sinks use it to choose a representation. */
public enum AttributeType {
  /** A {@link String}. */
  STRING(String.class),
  /** A {@link Long}. */
  LONG(Long.class),
  /** A {@link Double}. */
  DOUBLE(Double.class),
  /** A {@link Boolean}. */
  BOOLEAN(Boolean.class),
  /** An immutable {@code Map<String, String>}, such as container labels. */
  STRING_MAP(Map.class);

  private final Class<?> javaType;

  AttributeType(Class<?> javaType) {
    this.javaType = javaType;
  }

  /** The Java type values of this kind have. */
  public Class<?> javaType() {
    return javaType;
  }
}

package io.lanthorn.enricher.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Engine API version such as {@code 1.41}.
 *
 * @param major the major number, 1 for every Engine API so far
 * @param minor the minor number
 */
record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
  private static final Pattern FORMAT = Pattern.compile("v?(\\d{1,4})\\.(\\d{1,4})");

  /** The version in {@code major.minor} form, or {@code null} when the text is not one. */
  static ApiVersion parse(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = FORMAT.matcher(text.trim());
    return m.matches()
        ? new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
        : null;
  }

  @Override
  public int compareTo(ApiVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  /** The lower of two versions. */
  static ApiVersion min(ApiVersion a, ApiVersion b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}

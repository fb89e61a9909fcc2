package io.lanthorn.launcher.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders enrichers as configured in {@code lanthorn.enrichers.order}: listed names first, in list
 * order; the others after them, by name, so the order never depends on the file system.
 */
public final class EnricherOrder {
  private EnricherOrder() {}

  /** The enrichers sorted by {@code order}; names in the list that are not present are skipped. */
  public static <T> List<Running<T>> sort(List<Running<T>> enrichers, List<String> order) {
    List<Running<T>> sorted = new ArrayList<>(enrichers);
    sorted.sort(
        Comparator.<Running<T>>comparingInt(e -> rank(order, e.name()))
            .thenComparing(Running::name));
    return sorted;
  }

  private static int rank(List<String> order, String name) {
    int index = order.indexOf(name);
    return index < 0 ? order.size() : index;
  }
}

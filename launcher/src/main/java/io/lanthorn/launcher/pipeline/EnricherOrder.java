package io.lanthorn.launcher.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Orders enrichers: first the names configured in {@code lanthorn.enrichers.order}, in list order;
 * then the others, each after the enrichers its plugin declares it reads from ({@code
 * PluginFactory.enrichAfter()}), and otherwise by name, so the order never depends on the file
 * system. A cycle of declarations is broken by name.
 */
public final class EnricherOrder {
  private EnricherOrder() {}

  /**
   * The enrichers sorted.
   *
   * @param order the configured names; names not present are skipped
   * @param after for each enricher's name, the names it must run after (absent: none)
   */
  public static <T> List<Running<T>> sort(
      List<Running<T>> enrichers, List<String> order, Map<String, List<String>> after) {
    List<Running<T>> sorted = new ArrayList<>();
    List<Running<T>> rest = new ArrayList<>();
    for (Running<T> enricher : enrichers) {
      (order.contains(enricher.name()) ? sorted : rest).add(enricher);
    }
    sorted.sort(Comparator.comparingInt(e -> order.indexOf(e.name())));
    rest.sort(Comparator.comparing(Running::name));
    while (!rest.isEmpty()) {
      Running<T> next = rest.getFirst();
      for (Running<T> candidate : rest) {
        if (waitsForNone(candidate, rest, after)) {
          next = candidate;
          break;
        }
      }
      rest.remove(next);
      sorted.add(next);
    }
    return sorted;
  }

  private static <T> boolean waitsForNone(
      Running<T> candidate, List<Running<T>> rest, Map<String, List<String>> after) {
    List<String> before = after.getOrDefault(candidate.name(), List.of());
    return rest.stream().noneMatch(other -> before.contains(other.name()));
  }
}

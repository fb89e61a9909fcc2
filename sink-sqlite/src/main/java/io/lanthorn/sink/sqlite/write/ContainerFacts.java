package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.CONTAINERS;

import io.lanthorn.api.Attributes;
import io.lanthorn.api.AttributesJson;
import io.lanthorn.api.StandardAttributes;
import java.util.List;
import java.util.Map;
import org.jooq.Record;

/**
 * What an event says about its container: a row of {@code containers}. Events from one container
 * carry equal facts, so {@link FactTable} stores them once.
 */
record ContainerFacts(
    String id,
    String name,
    String runtime,
    String imageName,
    String imageId,
    Map<String, String> labels,
    String composeProject,
    String composeService) {

  /** The columns of {@code containers} these facts fill. */
  static final List<Column<ContainerFacts, ?>> COLUMNS =
      List.of(
          new Column<>(CONTAINERS.CONTAINER_ID, ContainerFacts::id),
          new Column<>(CONTAINERS.CONTAINER_NAME, ContainerFacts::name),
          new Column<>(CONTAINERS.CONTAINER_RUNTIME, ContainerFacts::runtime),
          new Column<>(CONTAINERS.IMAGE_NAME, ContainerFacts::imageName),
          new Column<>(CONTAINERS.IMAGE_ID, ContainerFacts::imageId),
          new Column<>(CONTAINERS.CONTAINER_LABELS, facts -> AttributesJson.ofMap(facts.labels())),
          new Column<>(CONTAINERS.COMPOSE_PROJECT, ContainerFacts::composeProject),
          new Column<>(CONTAINERS.COMPOSE_SERVICE, ContainerFacts::composeService));

  /** A table numbering container facts. */
  static FactTable<ContainerFacts> table() {
    return new FactTable<>(
        CONTAINERS,
        CONTAINERS.ID,
        CONTAINERS.FIRST_SEEN_NS,
        CONTAINERS.LAST_SEEN_NS,
        COLUMNS,
        ContainerFacts::fromRow);
  }

  /** The container facts among these attributes, {@code null} when there are none. */
  static ContainerFacts of(Attributes attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    ContainerFacts facts =
        new ContainerFacts(
            attributes.get(StandardAttributes.CONTAINER_ID),
            attributes.get(StandardAttributes.CONTAINER_NAME),
            attributes.get(StandardAttributes.CONTAINER_RUNTIME),
            attributes.get(StandardAttributes.CONTAINER_IMAGE_NAME),
            attributes.get(StandardAttributes.CONTAINER_IMAGE_ID),
            attributes.get(StandardAttributes.CONTAINER_LABELS),
            attributes.get(StandardAttributes.COMPOSE_PROJECT),
            attributes.get(StandardAttributes.COMPOSE_SERVICE));
    return facts.equals(NONE) ? null : facts;
  }

  /** The facts a row of {@code containers} holds; {@code null} if its labels are not readable. */
  private static ContainerFacts fromRow(Record row) {
    String labels = row.get(CONTAINERS.CONTAINER_LABELS);
    Map<String, String> labelMap = labels == null ? null : LabelsJson.read(labels);
    if (labels != null && labelMap == null) {
      return null;
    }
    return new ContainerFacts(
        row.get(CONTAINERS.CONTAINER_ID),
        row.get(CONTAINERS.CONTAINER_NAME),
        row.get(CONTAINERS.CONTAINER_RUNTIME),
        row.get(CONTAINERS.IMAGE_NAME),
        row.get(CONTAINERS.IMAGE_ID),
        labelMap,
        row.get(CONTAINERS.COMPOSE_PROJECT),
        row.get(CONTAINERS.COMPOSE_SERVICE));
  }

  private static final ContainerFacts NONE =
      new ContainerFacts(null, null, null, null, null, null, null, null);
}

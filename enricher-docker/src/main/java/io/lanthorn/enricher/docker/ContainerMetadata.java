package io.lanthorn.enricher.docker;

import io.lanthorn.api.Attributes;
import io.lanthorn.api.StandardAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * What Docker told us about one container. Any field but the id may be {@code null} when the source
 * (an event, a listing, an inspection) did not carry it; {@link #mergedWith} fills gaps from an
 * older record.
 *
 * @param id the full 64-hex-digit id
 * @param name the name without Docker's leading slash
 * @param imageName the image as the container was created from it, e.g. {@code nginx:1.27}
 * @param imageId the image's content id, {@code sha256:…}
 * @param labels the container's labels
 */
record ContainerMetadata(
    String id, String name, String imageName, String imageId, Map<String, String> labels) {

  /** The runtime name the attributes carry. */
  static final String RUNTIME = "docker";

  /** The Compose labels that become attributes of their own. */
  static final String COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

  static final String COMPOSE_SERVICE_LABEL = "com.docker.compose.service";

  ContainerMetadata {
    Objects.requireNonNull(id, "id");
    name = withoutSlash(name);
    labels = labels == null ? null : Map.copyOf(labels);
  }

  /** This record's values, with {@code older}'s wherever this one has none. */
  ContainerMetadata mergedWith(ContainerMetadata older) {
    if (older == null) {
      return this;
    }
    return new ContainerMetadata(
        id,
        name != null ? name : older.name,
        imageName != null ? imageName : older.imageName,
        imageId != null ? imageId : older.imageId,
        labels != null ? labels : older.labels);
  }

  /** A copy with another image id. */
  ContainerMetadata withImageId(String newImageId) {
    return new ContainerMetadata(id, name, imageName, newImageId, labels);
  }

  /** The attributes an event made in this container gets. */
  Attributes toAttributes() {
    Attributes.Builder builder =
        Attributes.builder()
            .put(StandardAttributes.CONTAINER_ID, id)
            .put(StandardAttributes.CONTAINER_NAME, name)
            .put(StandardAttributes.CONTAINER_RUNTIME, RUNTIME)
            .put(StandardAttributes.CONTAINER_IMAGE_NAME, imageName)
            .put(StandardAttributes.CONTAINER_IMAGE_ID, imageId);
    if (labels != null && !labels.isEmpty()) {
      builder
          .put(StandardAttributes.CONTAINER_LABELS, labels)
          .put(StandardAttributes.COMPOSE_PROJECT, labels.get(COMPOSE_PROJECT_LABEL))
          .put(StandardAttributes.COMPOSE_SERVICE, labels.get(COMPOSE_SERVICE_LABEL));
    }
    return builder
        .put(StandardAttributes.ATTRIBUTION_STATUS, StandardAttributes.ATTRIBUTION_ATTRIBUTED)
        .build();
  }

  /** Docker's API names containers {@code /name}; users know them as {@code name}. */
  static String withoutSlash(String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    return name.charAt(0) == '/' ? name.substring(1) : name;
  }
}

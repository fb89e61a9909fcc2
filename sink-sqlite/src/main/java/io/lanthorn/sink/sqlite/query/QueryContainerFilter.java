package io.lanthorn.sink.sqlite.query;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import picocli.CommandLine.Option;

/** The {@code --container} option of the questions that can be narrowed to one container. */
final class QueryContainerFilter {
  @Option(
      names = "--container",
      paramLabel = "NAME",
      description = "Only this container (- for processes outside containers).")
  String container;

  /** The condition on a container-name column: no condition without {@code --container}. */
  Condition on(Field<String> containerName) {
    return container == null ? DSL.noCondition() : QuerySql.containerIs(containerName, container);
  }
}

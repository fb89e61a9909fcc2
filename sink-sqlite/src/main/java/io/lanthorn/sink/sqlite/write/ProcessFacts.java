package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.PROCESSES;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.StandardAttributes;
import java.util.List;

/**
 * The facts about an event's process that repeat in every event it causes: a row of {@code
 * processes}. The TCP probe hands out the same string instances while they repeat, so comparing
 * them is cheap.
 */
record ProcessFacts(String commandLine, String executablePath, String cgroupName) {

  /** The columns of {@code processes} these facts fill. */
  static final List<Column<ProcessFacts, ?>> COLUMNS =
      List.of(
          new Column<>(PROCESSES.PROCESS_CMDLINE, ProcessFacts::commandLine),
          new Column<>(PROCESSES.PROCESS_EXE_PATH, ProcessFacts::executablePath),
          new Column<>(PROCESSES.CGROUP_NAME, ProcessFacts::cgroupName));

  /** A table numbering process facts. */
  static FactTable<ProcessFacts> table() {
    return new FactTable<>(
        PROCESSES,
        PROCESSES.ID,
        PROCESSES.FIRST_SEEN_NS,
        PROCESSES.LAST_SEEN_NS,
        COLUMNS,
        row ->
            new ProcessFacts(
                row.get(PROCESSES.PROCESS_CMDLINE),
                row.get(PROCESSES.PROCESS_EXE_PATH),
                row.get(PROCESSES.CGROUP_NAME)));
  }

  /** The event's process facts, {@code null} when it has none. */
  static ProcessFacts of(ConnectionEvent event) {
    String executable = event.attribute(StandardAttributes.PROCESS_EXECUTABLE_PATH);
    if (event.commandLine() == null && executable == null && event.cgroupName() == null) {
      return null;
    }
    return new ProcessFacts(event.commandLine(), executable, event.cgroupName());
  }
}

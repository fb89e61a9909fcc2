package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.PROCESSES;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.Vocabulary;
import java.util.List;
import org.jooq.Record;

/**
 * The facts about an event's process that repeat in every event it causes: a row of {@code
 * processes}. The TCP probe hands out the same string instances while they repeat, so comparing
 * them is cheap.
 */
record ProcessFacts(
    String processName,
    long uid,
    long gid,
    long cgroupId,
    String commandLine,
    String executablePath,
    String cgroupName) {

  /** The columns of {@code processes} these facts fill. */
  static final List<Column<ProcessFacts, ?>> COLUMNS =
      List.of(
          new Column<>(PROCESSES.PROCESS_NAME, ProcessFacts::processName),
          new Column<>(PROCESSES.UID, ProcessFacts::uid),
          new Column<>(PROCESSES.GID, ProcessFacts::gid),
          new Column<>(PROCESSES.CGROUP_ID, ProcessFacts::cgroupId),
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
        ProcessFacts::fromRow);
  }

  /** The event's process facts: every event has some (its task's name, ids and cgroup). */
  static ProcessFacts of(ConnectionEvent event) {
    return new ProcessFacts(
        event.comm(),
        Vocabulary.unsignedId(event.uid()),
        Vocabulary.unsignedId(event.gid()),
        event.cgroupId(),
        event.commandLine(),
        event.attribute(StandardAttributes.PROCESS_EXECUTABLE_PATH),
        event.cgroupName());
  }

  /** The facts a row holds; {@code null} for a row of a schema before 15 (not reused). */
  private static ProcessFacts fromRow(Record row) {
    Long uid = row.get(PROCESSES.UID);
    Long gid = row.get(PROCESSES.GID);
    Long cgroupId = row.get(PROCESSES.CGROUP_ID);
    if (uid == null || gid == null || cgroupId == null) {
      return null;
    }
    return new ProcessFacts(
        row.get(PROCESSES.PROCESS_NAME),
        uid,
        gid,
        cgroupId,
        row.get(PROCESSES.PROCESS_CMDLINE),
        row.get(PROCESSES.PROCESS_EXE_PATH),
        row.get(PROCESSES.CGROUP_NAME));
  }
}

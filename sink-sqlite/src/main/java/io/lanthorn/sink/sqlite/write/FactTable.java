package io.lanthorn.sink.sqlite.write;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Insert;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Numbers the distinct sets of facts that repeat event after event ({@code containers}, {@code
 * processes}), so that {@code event_rows} stores a number instead of the facts.
 *
 * <p>The numbers are handed out here, not by SQLite, and every batch writes the rows of every set
 * it uses (an UPSERT by number that only moves {@code first_seen_ns}/{@code last_seen_ns} when the
 * row exists). So a batch that failed, or retention having deleted a row, never leaves an event
 * pointing at nothing, and nothing needs undoing after a rollback. Not thread-safe: the sink's
 * writing thread only.
 *
 * @param <K> the set of facts, with value equality; {@code null} means none
 */
final class FactTable<K> {
  /** Beyond this many known sets the cache starts afresh (unique command lines could grow it). */
  static final int MAX_KNOWN = 50_000;

  private final Table<?> table;
  private final Field<Long> id;
  private final Field<Long> firstSeen;
  private final Field<Long> lastSeen;
  private final List<Column<K, ?>> facts;
  private final Function<Record, K> fromRow;
  private final Map<K, Use> known = new HashMap<>();
  private final List<Use> usedInBatch = new ArrayList<>();
  private long nextId;
  private boolean forgotten;

  /** A set of facts, its number and, while a batch is being written, the times it was seen. */
  private static final class Use {
    final long id;
    final Object[] values;
    boolean inBatch;
    long firstSeenNs;
    long lastSeenNs;

    Use(long id, Object[] values) {
      this.id = id;
      this.values = values;
    }
  }

  /**
   * @param facts the table's fact columns with how each is read from a set of facts
   * @param fromRow the set of facts a row of the table holds, from its fact columns; {@code null}
   *     when it cannot tell (the row is then not reused)
   */
  <R extends Record> FactTable(
      Table<R> table,
      Field<Long> id,
      Field<Long> firstSeen,
      Field<Long> lastSeen,
      List<Column<K, ?>> facts,
      Function<Record, K> fromRow) {
    this.table = table;
    this.id = id;
    this.firstSeen = firstSeen;
    this.lastSeen = lastSeen;
    this.facts = facts;
    this.fromRow = fromRow;
  }

  /**
   * Learns the numbers of the sets most recently seen, so that a restarted agent adds no second row
   * for them, and continues numbering after the largest number in the file.
   */
  void start(DSLContext dsl) {
    known.clear();
    forgotten = false;
    List<Field<?>> columns = new ArrayList<>();
    columns.add(id);
    facts.forEach(column -> columns.add(column.field()));
    for (Record row :
        dsl.select(columns).from(table).orderBy(lastSeen.desc()).limit(MAX_KNOWN / 2).fetch()) {
      K set = fromRow.apply(row);
      if (set != null) {
        Object[] values = new Object[facts.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = row.get(i + 1);
        }
        known.putIfAbsent(set, new Use(row.get(id), values));
      }
    }
    Long max = dsl.select(DSL.max(id)).from(table).fetchOne(0, Long.class);
    nextId = max == null ? 1 : max + 1;
  }

  /** Whether {@link #requireOwnRows} found another writer's rows since {@link #start}. */
  boolean forgotten() {
    return forgotten;
  }

  /**
   * The number of a set of facts seen at a time, {@code null} for {@code null}; remembers the set
   * as used by the batch being written.
   */
  Long idOf(K set, long timestampNs) {
    if (set == null) {
      return null;
    }
    Use use = known.get(set);
    if (use == null) {
      if (known.size() >= MAX_KNOWN) {
        forgetUnused();
      }
      use = new Use(nextId++, values(set));
      known.put(set, use);
    }
    if (!use.inBatch) {
      use.inBatch = true;
      use.firstSeenNs = timestampNs;
      use.lastSeenNs = timestampNs;
      usedInBatch.add(use);
    } else {
      use.firstSeenNs = Math.min(use.firstSeenNs, timestampNs);
      use.lastSeenNs = Math.max(use.lastSeenNs, timestampNs);
    }
    return use.id;
  }

  /** The UPSERT writing one set's row, to be bound with {@link #bindBatch}. */
  Insert<?> upsert(DSLContext dsl) {
    List<Field<?>> columns = new ArrayList<>();
    columns.add(id);
    facts.forEach(column -> columns.add(column.field()));
    columns.add(firstSeen);
    columns.add(lastSeen);
    // Only a row holding the same facts is updated: a row with other facts under this number
    // changes nothing, and bindBatch's caller sees it in the update count (see requireOwnRows).
    Condition sameFacts = DSL.noCondition();
    for (Column<K, ?> column : facts) {
      sameFacts = sameFacts.and(sameValue(column.field()));
    }
    return dsl.insertInto(table)
        .columns(columns)
        .values(columns.stream().map(DSL::param).toList())
        .onConflict(id)
        .doUpdate()
        .set(firstSeen, DSL.least(firstSeen, DSL.excluded(firstSeen)))
        .set(lastSeen, DSL.greatest(lastSeen, DSL.excluded(lastSeen)))
        .where(sameFacts);
  }

  private static <T> Condition sameValue(Field<T> field) {
    return field.isNotDistinctFrom(DSL.excluded(field));
  }

  /**
   * Checks the update counts of the statement {@link #bindBatch} filled: a row not written means
   * its number holds other facts, written by another agent on the same file after this one started.
   * The table is then {@link #forgotten}: before the next batch the writer has every table {@link
   * #start} again (the failed batch has been rolled back by then).
   *
   * @throws SQLException saying so; the batch must not commit
   */
  void requireOwnRows(int[] updateCounts) throws SQLException {
    for (int count : updateCounts) {
      if (count == 0) {
        // Not cleared here: endBatch still has to reset the sets this batch used.
        forgotten = true;
        throw new SQLException(
            table.getName()
                + " row numbers were taken by another writer: is a second Lanthorn agent writing"
                + " this file? Give each agent its own sink-sqlite.path (--db-path)");
      }
    }
  }

  /** Adds the row of every set the batch used to the statement {@link #upsert} rendered. */
  void bindBatch(PreparedStatement upsert) throws SQLException {
    for (Use use : usedInBatch) {
      int index = 1;
      upsert.setLong(index++, use.id);
      for (Object value : use.values) {
        upsert.setObject(index++, value);
      }
      upsert.setLong(index++, use.firstSeenNs);
      upsert.setLong(index, use.lastSeenNs);
      upsert.addBatch();
    }
  }

  /** Forgets which sets the batch used, whether or not it was committed. */
  void endBatch() {
    for (Use use : usedInBatch) {
      use.inBatch = false;
    }
    usedInBatch.clear();
  }

  /** Whether the batch being written uses any set. */
  boolean usedAny() {
    return !usedInBatch.isEmpty();
  }

  private Object[] values(K set) {
    Object[] values = new Object[facts.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = facts.get(i).value().apply(set);
    }
    return values;
  }

  private void forgetUnused() {
    // Sets the current batch uses keep their numbers; the others get new ones if they come back.
    known.values().removeIf(use -> !use.inBatch);
  }
}

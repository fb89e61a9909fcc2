package io.lanthorn.sink.sqlite.write;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A generated column reference paired with where its value comes from. The pairing is typed, so a
 * column whose type changes in a migration no longer compiles until its source changes too.
 *
 * @param <S> what values are read from
 * @param <T> the column's Java type
 * @param field the jOOQ-generated column
 * @param value reads the column's value; may return {@code null} for nullable columns
 */
record Column<S, T>(Field<T> field, Function<S, T> value) {

  /** An {@code INSERT INTO table (columns…) VALUES (?, …)} in column order, for binding. */
  static <R extends Record, S> InsertValuesStepN<R> insert(
      DSLContext dsl, Table<R> table, List<Column<S, ?>> columns) {
    return insert(dsl, table, columns, Map.of());
  }

  /**
   * The same with literal values for some more columns, after the bound ones: a value every row
   * shares costs nothing to bind.
   */
  static <R extends Record, S> InsertValuesStepN<R> insert(
      DSLContext dsl, Table<R> table, List<Column<S, ?>> columns, Map<Field<?>, ?> literals) {
    List<Field<?>> fields = new ArrayList<>(columns.stream().map(Column::field).toList());
    List<Field<?>> values =
        new ArrayList<>(
            columns.stream().<Field<?>>map(column -> DSL.param(column.field())).toList());
    literals.forEach(
        (field, value) -> {
          fields.add(field);
          values.add(DSL.inline(value));
        });
    return dsl.insertInto(table).columns(fields).values(values);
  }

  /** Binds one row's values, in column order, starting at parameter 1. */
  static <S> void bind(PreparedStatement statement, List<Column<S, ?>> columns, S source)
      throws SQLException {
    int index = 1;
    for (Column<S, ?> column : columns) {
      // sqlite-jdbc stores every parameter as an object anyway, so setObject costs nothing extra.
      statement.setObject(index++, column.value.apply(source));
    }
  }
}

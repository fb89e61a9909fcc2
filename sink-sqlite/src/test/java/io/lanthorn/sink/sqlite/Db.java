package io.lanthorn.sink.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a database file with plain JDBC, independently of the sink's code. */
public final class Db {
  private Db() {}

  /** Every row of a query as column-name-to-value maps. */
  public static List<Map<String, Object>> rows(Path file, String sql) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData meta = result.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (result.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = result.getObject(i);
          // sqlite-jdbc returns Integer or Long depending on the value: compare as Long.
          row.put(
              meta.getColumnLabel(i), value instanceof Integer small ? (Long) (long) small : value);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  /** The single value of a one-row, one-column query, as a long. */
  public static long count(Path file, String sql) {
    return ((Number) rows(file, sql).getFirst().values().iterator().next()).longValue();
  }

  /** Runs statements, e.g. to prepare an old database. */
  public static void execute(Path file, String... sql) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new AssertionError("statement failed", e);
    }
  }
}

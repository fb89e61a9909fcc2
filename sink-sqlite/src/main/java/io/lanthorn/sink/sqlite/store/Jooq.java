package io.lanthorn.sink.sqlite.store;

import java.sql.Connection;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** jOOQ contexts for SQLite connections, without jOOQ's start-up banner in the agent's log. */
public final class Jooq {
  static {
    // jOOQ logs an ASCII-art logo and "tips" on first use; they only read these properties.
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  private Jooq() {}

  /** A context that renders SQLite's SQL without a connection, for statements prepared later. */
  public static DSLContext renderer() {
    return DSL.using(SQLDialect.SQLITE);
  }

  /** A context executing on this connection; closing the connection stays the caller's job. */
  public static DSLContext using(Connection connection) {
    return DSL.using(connection, SQLDialect.SQLITE);
  }
}

package io.lanthorn.sink.sqlite.query;

import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import org.jooq.ResultQuery;

/** A {@code lanthorn query} subcommand: one question, asked of the database as one query. */
interface QueryQuestion extends Callable<Integer> {

  /** The query answering the question, built from the generated table references. */
  ResultQuery<?> ask(DSLContext dsl);

  /** The options every question has: the database and the output format. */
  QueryDatabaseOptions database();

  /** Asks the question of the database the options name and prints the answer. */
  @Override
  default Integer call() throws Exception {
    return database().answer(this);
  }
}

package io.lanthorn.sink.sqlite.query;

import java.io.PrintWriter;
import org.jooq.JSONFormat;
import org.jooq.Result;
import org.jooq.TXTFormat;

/** Prints an answer as a plain-text table or as a JSON array of objects. */
final class QueryOutput {
  // The question's --limit decides how many rows there are: do not let the table cut them.
  private static final TXTFormat TABLE = new TXTFormat().maxRows(Integer.MAX_VALUE).maxColWidth(60);
  private static final JSONFormat JSON =
      JSONFormat.DEFAULT_FOR_RECORDS.recordFormat(JSONFormat.RecordFormat.OBJECT).format(true);

  private QueryOutput() {}

  static void print(Result<?> answer, boolean json, PrintWriter out) {
    if (json) {
      out.println(answer.formatJSON(JSON));
    } else if (answer.isEmpty()) {
      out.println("(no rows)");
    } else {
      out.print(answer.format(TABLE));
    }
    out.flush();
  }
}

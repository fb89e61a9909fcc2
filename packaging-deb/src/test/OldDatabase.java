import org.flywaydb.core.Flyway;

/**
 * Writes a history database at an older schema version, as an earlier Lanthorn left it, with the
 * migrations the sink-sqlite plugin ships. scripts/test-deb.sh runs it as a single-file program:
 * {@code java -cp 'plugins/sink-sqlite/*' OldDatabase.java FILE VERSION}.
 */
final class OldDatabase {
  private OldDatabase() {}

  public static void main(String[] args) {
    Flyway.configure(OldDatabase.class.getClassLoader())
        .dataSource("jdbc:sqlite:" + args[0], null, null)
        .locations("classpath:db/migration/lanthorn")
        .target(args[1])
        .load()
        .migrate();
  }
}

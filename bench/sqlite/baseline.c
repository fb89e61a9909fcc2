// SQLite's own cost of Lanthorn's write path, without Java: the floor for any writer.
//
// Migrates a fresh file with sql/'s migrations, then writes the rows of sink-sqlite's
// WriteBenchmark the way the sink does: per batch one transaction holding the event_rows INSERTs
// (bound statement, one step per row), the UPSERTs of the processes and containers rows the batch
// uses, and the connection_aggregations UPSERT per (container, process, destination). WAL,
// synchronous=NORMAL. Prints rows/s and CPU microseconds per row (rows per CPU-second is what an
// idle core would do, and varies far less with other load than rows/s).
//
//   cc -O2 -o /tmp/lanthorn-baseline bench/sqlite/baseline.c -lsqlite3   # libsqlite3-dev
//   /tmp/lanthorn-baseline DIR [BATCH [ROWS [SQL...]]]    # from the repository's root
//
// Each SQL runs after the migrations, e.g. "DROP INDEX events_timestamp" to price one index.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PORTS 60
#define CONTAINERS 3
#define START_NS 1795564800000000000LL  // 2026-11-25T00:00:00Z

static sqlite3 *db;

static void fail(const char *what) {
  fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
  exit(1);
}

static void exec(const char *sql) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) fail(sql);
}

static sqlite3_stmt *prepare(const char *sql) {
  sqlite3_stmt *statement;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) fail(sql);
  return statement;
}

static void run(sqlite3_stmt *statement) {
  if (sqlite3_step(statement) != SQLITE_DONE) fail("step");
  sqlite3_reset(statement);
}

static void migrate(const char *directory) {
  static const char *files[] = {"V1__events.sql", "V2__connection_aggregations.sql",
                                "V3__collection_health.sql", "V4__facts_stored_once.sql"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", directory, files[i]);
    FILE *file = fopen(path, "r");
    if (!file) {
      perror(path);
      exit(1);
    }
    static char sql[1 << 20];
    size_t length = fread(sql, 1, sizeof sql - 1, file);
    sql[length] = 0;
    fclose(file);
    exec(sql);
  }
}

static double seconds(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

#define TEXT(s, i, v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC)
#define INT(s, i, v) sqlite3_bind_int64(s, i, v)

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR [BATCH [ROWS [SQL...]]]\n", argv[0]);
    return 2;
  }
  int batch = argc > 2 ? atoi(argv[2]) : 1000, rows = argc > 3 ? atoi(argv[3]) : 100000;
  char path[4096], migrations[256];
  snprintf(path, sizeof path, "%s/lanthorn-baseline.db", argv[1]);
  static const char *suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    char file[4200];
    snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
    unlink(file);
  }
  // Run from the repository's root.
  snprintf(migrations, sizeof migrations, "sql/src/main/resources/db/migration/lanthorn");
  if (sqlite3_open(path, &db) != SQLITE_OK) fail(path);
  exec("PRAGMA journal_mode = WAL");
  exec("PRAGMA synchronous = NORMAL");
  migrate(migrations);
  for (int i = 4; i < argc; i++) exec(argv[i]);

  // The WriteBenchmark's facts: three containers, 60 ports, host processes.
  char id[CONTAINERS][65], image_id[CONTAINERS][80 + 200], name[CONTAINERS][32], image[CONTAINERS][64],
      service[CONTAINERS][16], labels[CONTAINERS][256], cmdline[2][PORTS][64];
  for (int k = 0; k < CONTAINERS; k++) {
    memset(id[k], 'a' + k, 64);
    id[k][64] = 0;
    snprintf(image_id[k], sizeof image_id[k], "sha256:%s", id[k]);
    snprintf(service[k], sizeof service[k], "app-%d", k);
    snprintf(name[k], sizeof name[k], "shop-%s-1", service[k]);
    snprintf(image[k], sizeof image[k], "registry.example/shop/%s:1.4", service[k]);
    snprintf(labels[k], sizeof labels[k],
             "{\"com.docker.compose.project\":\"shop\",\"com.docker.compose.service\":\"%s\","
             "\"team\":\"payments\",\"tier\":\"backend\"}",
             service[k]);
  }
  for (int p = 0; p < PORTS; p++) {
    snprintf(cmdline[0][p], 64, "curl http://127.0.0.1:%d/", 5000 + p);
    snprintf(cmdline[1][p], 64, "wget -q -O- http://127.0.0.1:%d/", 5000 + p);
  }

  sqlite3_stmt *event = prepare(
      "INSERT INTO event_rows (timestamp_ns, kernel_time_ns, protocol, address_family, src_addr,"
      " src_port, dst_addr, dst_port, outcome, errno, handshake_ns, pid, tid, uid, gid,"
      " process_name, cgroup_id, container_name, attribution_status, attributes, process_ref,"
      " container_ref, event_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      " ?, ?, ?, 'connect')");
  sqlite3_stmt *process = prepare(
      "INSERT INTO processes (id, process_cmdline, process_exe_path, cgroup_name, first_seen_ns,"
      " last_seen_ns) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
      " first_seen_ns = min(first_seen_ns, excluded.first_seen_ns),"
      " last_seen_ns = max(last_seen_ns, excluded.last_seen_ns)");
  sqlite3_stmt *container = prepare(
      "INSERT INTO containers (id, container_id, container_name, container_runtime, image_name,"
      " image_id, container_labels, compose_project, compose_service, first_seen_ns, last_seen_ns)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
      " first_seen_ns = min(first_seen_ns, excluded.first_seen_ns),"
      " last_seen_ns = max(last_seen_ns, excluded.last_seen_ns)");
  sqlite3_stmt *summary = prepare(
      "INSERT INTO connection_aggregations (container_name, process_name, dst_addr, dst_port,"
      " protocol, connection_count, failed_count, first_seen_ns, last_seen_ns)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (container_name, process_name, dst_addr,"
      " dst_port, protocol) DO UPDATE SET"
      " connection_count = connection_count + excluded.connection_count,"
      " failed_count = failed_count + excluded.failed_count,"
      " first_seen_ns = min(first_seen_ns, excluded.first_seen_ns),"
      " last_seen_ns = max(last_seen_ns, excluded.last_seen_ns)");

  double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (int first = 0; first < rows; first += batch) {
    // Per (container or host, port): what the batch adds; the sink keeps the same tallies.
    long long count[CONTAINERS + 1][PORTS] = {{0}}, failed[CONTAINERS + 1][PORTS] = {{0}},
              low[CONTAINERS + 1][PORTS], high[CONTAINERS + 1][PORTS];
    exec("BEGIN");
    for (int n = first; n < first + batch && n < rows; n++) {
      int host = n % 4 == 3, k = host ? CONTAINERS : n % 3, p = n % PORTS, port = 5000 + p;
      int refused = n % 20 == 0;
      long long at = START_NS + n * 1000000LL;
      if (count[k][p]++ == 0) low[k][p] = at;
      high[k][p] = at;
      failed[k][p] += refused;
      INT(event, 1, at);
      INT(event, 2, 1000000000LL + port);
      TEXT(event, 3, "tcp");
      TEXT(event, 4, "ipv4");
      TEXT(event, 5, "127.0.0.1");
      INT(event, 6, 40000 + port % 20000);
      TEXT(event, 7, "127.0.0.1");
      INT(event, 8, port);
      TEXT(event, 9, refused ? "refused" : "established");
      INT(event, 10, 0);
      INT(event, 11, 45000);
      INT(event, 12, 4242);
      INT(event, 13, 4243);
      INT(event, 14, 1000);
      INT(event, 15, 1000);
      TEXT(event, 16, host ? "curl" : "wget");
      INT(event, 17, host ? 77 : 1000 + k);
      if (host) sqlite3_bind_null(event, 18); else TEXT(event, 18, name[k]);
      TEXT(event, 19, host ? "not_in_container" : "attributed");
      sqlite3_bind_null(event, 20);
      INT(event, 21, k * PORTS + p + 1);
      if (host) sqlite3_bind_null(event, 22); else INT(event, 22, k + 1);
      run(event);
    }
    for (int k = 0; k <= CONTAINERS; k++) {
      long long seen_low = -1, seen_high = -1;
      for (int p = 0; p < PORTS; p++) {
        if (!count[k][p]) continue;
        if (seen_low < 0 || low[k][p] < seen_low) seen_low = low[k][p];
        if (high[k][p] > seen_high) seen_high = high[k][p];
        INT(process, 1, k * PORTS + p + 1);
        TEXT(process, 2, cmdline[k < CONTAINERS][p]);
        sqlite3_bind_null(process, 3);
        TEXT(process, 4, k < CONTAINERS ? id[k] : "session-1.scope");
        INT(process, 5, low[k][p]);
        INT(process, 6, high[k][p]);
        run(process);
        TEXT(summary, 1, k < CONTAINERS ? name[k] : "");
        TEXT(summary, 2, k < CONTAINERS ? "wget" : "curl");
        TEXT(summary, 3, "127.0.0.1");
        INT(summary, 4, 5000 + p);
        TEXT(summary, 5, "tcp");
        INT(summary, 6, count[k][p]);
        INT(summary, 7, failed[k][p]);
        INT(summary, 8, low[k][p]);
        INT(summary, 9, high[k][p]);
        run(summary);
      }
      if (k < CONTAINERS && seen_low >= 0) {
        INT(container, 1, k + 1);
        TEXT(container, 2, id[k]);
        TEXT(container, 3, name[k]);
        TEXT(container, 4, "docker");
        TEXT(container, 5, image[k]);
        TEXT(container, 6, image_id[k]);
        TEXT(container, 7, labels[k]);
        TEXT(container, 8, "shop");
        TEXT(container, 9, service[k]);
        INT(container, 10, seen_low);
        INT(container, 11, seen_high);
        run(container);
      }
    }
    exec("COMMIT");
  }
  wall = seconds(CLOCK_MONOTONIC) - wall;
  cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
  FILE *load = fopen("/proc/loadavg", "r");
  char loadavg[64] = "?";
  if (load) {
    if (!fgets(loadavg, sizeof loadavg, load)) strcpy(loadavg, "?");
    fclose(load);
    loadavg[strcspn(loadavg, " ")] = 0;
  }
  printf("SQLite %s, %s, batch %d: %.0f rows/s, CPU %.2f us/row = %.0f rows per CPU-second"
         " (load %s)\n",
         sqlite3_libversion(), argv[1], batch, rows / wall, cpu * 1e6 / rows, rows / cpu, loadavg);
  sqlite3_close(db);
  return 0;
}

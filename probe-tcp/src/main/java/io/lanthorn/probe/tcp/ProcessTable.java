package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What process records announced: the command line of each process image, by pid and exec id, and
 * the name of each cgroup, by cgroup id. Connection records refer to these instead of carrying
 * them. The kernel announces a process image before its first connection record on each CPU, and
 * again every few seconds while it connects; an attempt whose announcement found the ring full is
 * dropped (counted lost) in the kernel. So an entry is missing here only if it was forgotten: the
 * least recently used go first once {@link #CAPACITY} others were used since, and the kernel does
 * not know that. Such lookups answer null and are counted ({@link #unknownProcesses}, {@link
 * #unknownCgroups}), never guessed. Not thread-safe, except the two counts.
 */
final class ProcessTable {
  static final int CAPACITY = 16_384;

  private record ProcessKey(int pid, long execId) {}

  private final Map<ProcessKey, String> commandLines = lru();
  private final Map<Long, String> cgroupNames = lru();

  private final AtomicLong unknownProcesses = new AtomicLong();
  private final AtomicLong unknownCgroups = new AtomicLong();

  // The previous (known) answers: consecutive records mostly come from one process.
  private int lastPid;
  private long lastExecId;
  private String lastCommandLine;
  private long lastCgroupId;
  private String lastCgroupName;

  private static <K> Map<K, String> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, String> eldest) {
        return size() > CAPACITY;
      }
    };
  }

  /** Learns the {@code struct tcp_process} at {@code offset}. */
  void learn(MemorySegment buffer, long offset) {
    int pid = buffer.get(JAVA_INT, offset + RecordLayout.PROCESS_PID);
    long execId = buffer.get(JAVA_LONG, offset + RecordLayout.PROCESS_EXEC_ID);
    long cgroupId = buffer.get(JAVA_LONG, offset + RecordLayout.PROCESS_CGROUP_ID);
    int argvLength =
        Math.min(
            Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.PROCESS_ARGV_LEN)),
            RecordLayout.ARGV_LEN);
    String commandLine = commandLine(buffer, offset + RecordLayout.PROCESS_ARGV, argvLength);
    int nameLength =
        terminated(buffer, offset + RecordLayout.PROCESS_CGROUP_NAME, RecordLayout.CGROUP_NAME_LEN);
    String cgroupName =
        nameLength == 0
            ? null
            : utf8(buffer, offset + RecordLayout.PROCESS_CGROUP_NAME, nameLength, false);
    // A null value still marks the key as known.
    commandLines.put(new ProcessKey(pid, execId), commandLine == null ? "" : commandLine);
    cgroupNames.put(cgroupId, cgroupName == null ? "" : cgroupName);
    lastExecId = 0; // forget the previous answers: one of them may just have changed
    lastCgroupId = 0;
  }

  /** The command line of the process image, or null when empty or not known (counted). */
  String commandLine(int pid, long execId) {
    if (execId != 0 && execId == lastExecId && pid == lastPid) {
      return lastCommandLine;
    }
    String commandLine = commandLines.get(new ProcessKey(pid, execId));
    if (commandLine == null) {
      unknownProcesses.incrementAndGet();
      return null;
    }
    commandLine = commandLine.isEmpty() ? null : commandLine;
    lastPid = pid;
    lastExecId = execId;
    lastCommandLine = commandLine;
    return commandLine;
  }

  /** The name of the cgroup, or null for the root cgroup or one not known (counted). */
  String cgroupName(long cgroupId) {
    if (cgroupId != 0 && cgroupId == lastCgroupId) {
      return lastCgroupName;
    }
    String name = cgroupNames.get(cgroupId);
    if (name == null) {
      unknownCgroups.incrementAndGet();
      return null;
    }
    name = name.isEmpty() ? null : name;
    lastCgroupId = cgroupId;
    lastCgroupName = name;
    return name;
  }

  /** Lookups of a process image no process record announced, or that was forgotten. */
  long unknownProcesses() {
    return unknownProcesses.get();
  }

  /** Lookups of a cgroup no process record announced, or that was forgotten. */
  long unknownCgroups() {
    return unknownCgroups.get();
  }

  /** The length of the NUL-terminated string in a field of {@code capacity} bytes. */
  private static int terminated(MemorySegment buffer, long offset, int capacity) {
    for (int i = 0; i < capacity; i++) {
      if (buffer.get(JAVA_BYTE, offset + i) == 0) {
        return i;
      }
    }
    return capacity;
  }

  /** Arguments end in NUL: the trailing ones are dropped, the others become spaces. */
  private static String commandLine(MemorySegment buffer, long offset, int length) {
    while (length > 0 && buffer.get(JAVA_BYTE, offset + length - 1) == 0) {
      length--;
    }
    return length == 0 ? null : utf8(buffer, offset, length, true);
  }

  private static String utf8(MemorySegment buffer, long offset, int length, boolean nulAsSpace) {
    byte[] bytes = new byte[length];
    MemorySegment.copy(buffer, JAVA_BYTE, offset, bytes, 0, length);
    if (nulAsSpace) {
      for (int i = 0; i < length; i++) {
        if (bytes[i] == 0) {
          bytes[i] = ' ';
        }
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

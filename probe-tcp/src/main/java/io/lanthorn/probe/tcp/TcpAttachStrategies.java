package io.lanthorn.probe.tcp;

import io.lanthorn.bpf.AttachStrategy;
import io.lanthorn.bpf.BpfException;
import io.lanthorn.bpf.BpfLink;
import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.Tracefs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The ways the TCP probe can hook {@code sock/inet_sock_set_state}, by configuration name. To add
 * one (a raw tracepoint, say), add its program to {@code tcp_probe.bpf.c} and its name here.
 */
final class TcpAttachStrategies {
  static final String TP_BTF = "tp_btf";
  static final String TRACEPOINT = "tracepoint";
  static final List<String> NAMES = List.of(TP_BTF, TRACEPOINT);
  private static final String TP_BTF_PROGRAM = "lt_tcp_tp_btf";
  private static final String TRACEPOINT_PROGRAM = "lt_tcp_tp";
  private static final String LISTEN_PROGRAM = "lt_tcp_listen";

  private TcpAttachStrategies() {}

  /** The strategies for {@code names}, in order; names were checked by {@link ProbeTcpConfig}. */
  static List<AttachStrategy> forNames(List<String> names) {
    return names.stream().map(TcpAttachStrategies::forName).toList();
  }

  /**
   * The same, each also hooking {@code syscalls/sys_enter_listen} to name the owners of listening
   * sockets (for accepted connections). That hook is best effort: where syscall tracepoints are
   * missing, accepts are still reported, without their owner, and the reason is logged.
   */
  static List<AttachStrategy> withListenHook(List<String> names, Logger log) {
    return forNames(names).stream().map(base -> withListenHook(base, log)).toList();
  }

  private static AttachStrategy withListenHook(AttachStrategy base, Logger log) {
    return new AttachStrategy() {
      @Override
      public String name() {
        return base.name();
      }

      @Override
      public Set<String> programs() {
        Set<String> programs = new HashSet<>(base.programs());
        programs.add(LISTEN_PROGRAM);
        return programs;
      }

      @Override
      public List<BpfLink> attach(BpfObject object) {
        List<BpfLink> links = new ArrayList<>(base.attach(object));
        try {
          Tracefs.ensureMounted();
          links.add(
              object.program(LISTEN_PROGRAM).attachTracepoint("syscalls", "sys_enter_listen"));
        } catch (BpfException e) {
          log.warn(
              "accepted connections will not name the process that listens: cannot attach to"
                  + " syscalls/sys_enter_listen ({})",
              e.getMessage());
        }
        return links;
      }
    };
  }

  private static AttachStrategy forName(String name) {
    return switch (name) {
      case TP_BTF -> AttachStrategy.tpBtf(TP_BTF_PROGRAM);
      case TRACEPOINT ->
          AttachStrategy.tracepoint(TRACEPOINT_PROGRAM, "sock", "inet_sock_set_state");
      default -> throw new IllegalArgumentException("unknown attach strategy " + name);
    };
  }
}

package io.lanthorn.probe.tcp;

import io.lanthorn.bpf.AttachStrategy;
import java.util.List;

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

  private TcpAttachStrategies() {}

  /** The strategies for {@code names}, in order; names were checked by {@link ProbeTcpConfig}. */
  static List<AttachStrategy> forNames(List<String> names) {
    return names.stream().map(TcpAttachStrategies::forName).toList();
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

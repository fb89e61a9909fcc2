package io.lanthorn.bpf;

import java.util.List;
import java.util.Set;

/**
 * One way to hook a probe into the kernel, e.g. a BTF-typed tracepoint or a classic one. A {@link
 * ProbeLoader} tries strategies in order; the first whose programs load and attach wins.
 */
public interface AttachStrategy {

  /** A short name for logs and configuration, e.g. {@code tp_btf}. */
  String name();

  /** The programs this strategy needs loaded; the object's other programs are not loaded. */
  Set<String> programs();

  /**
   * Attaches the loaded programs.
   *
   * @throws BpfException saying why this strategy cannot attach here
   */
  List<BpfLink> attach(BpfObject object);

  /** Attaches {@code program} where its {@code tp_btf/<event>} section says. */
  static AttachStrategy tpBtf(String program) {
    return new AttachStrategy() {
      @Override
      public String name() {
        return "tp_btf";
      }

      @Override
      public Set<String> programs() {
        return Set.of(program);
      }

      @Override
      public List<BpfLink> attach(BpfObject object) {
        return List.of(object.program(program).attach());
      }
    };
  }

  /**
   * Attaches {@code program} to the classic tracepoint {@code category/event}, mounting tracefs.
   */
  static AttachStrategy tracepoint(String program, String category, String event) {
    return new AttachStrategy() {
      @Override
      public String name() {
        return "tracepoint";
      }

      @Override
      public Set<String> programs() {
        return Set.of(program);
      }

      @Override
      public List<BpfLink> attach(BpfObject object) {
        Tracefs.ensureMounted();
        return List.of(object.program(program).attachTracepoint(category, event));
      }
    };
  }
}

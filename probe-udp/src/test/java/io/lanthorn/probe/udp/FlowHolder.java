package io.lanthorn.probe.udp;

import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfProgram;
import java.util.stream.Collectors;

/**
 * Run in a child JVM by {@link ProcessDeathTest}: attaches the programs, prints their ids, then
 * waits to be killed without closing anything.
 */
public final class FlowHolder {
  private FlowHolder() {}

  public static void main(String[] args) throws Exception {
    @SuppressWarnings("unused") // held open on purpose until the process dies
    UdpFlowSource source =
        (UdpFlowSource)
            new ProbeUdpFactory()
                .create(
                    TestPluginContext.forPlugin("probe-udp").withEmitter(new RecordingEmitter()));
    System.out.println(
        "attached "
            + source.probe().programs().stream()
                .map(BpfProgram::id)
                .map(String::valueOf)
                .collect(Collectors.joining(" ")));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}

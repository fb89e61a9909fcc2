package io.lanthorn.probe.dns;

import java.time.Clock;
import org.slf4j.LoggerFactory;

/**
 * Run in a child JVM by {@link ProcessDeathTest}: attaches the programs, says so, then waits to be
 * killed, without closing anything.
 */
public final class CaptureHolder {
  private CaptureHolder() {}

  public static void main(String[] args) throws Exception {
    @SuppressWarnings("unused") // held open on purpose until the process dies
    DnsCapture capture =
        DnsCapture.start(
            KernelTests.settings(), Clock.systemUTC(), LoggerFactory.getLogger("holder"), r -> {});
    System.out.println("attached");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}

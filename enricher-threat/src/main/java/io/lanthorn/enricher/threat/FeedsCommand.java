package io.lanthorn.enricher.threat;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lanthorn feeds}: each configured feed with its entries, last good refresh and last error,
 * as the running agent last saved them (the command itself fetches nothing).
 */
final class FeedsCommand implements PluginCommand {
  @Override
  public String name() {
    return "feeds";
  }

  @Override
  public String description() {
    return "Show each threat feed: entries, last good refresh, last error.";
  }

  @Override
  public int run(PluginContext context, List<String> args, PrintStream out, PrintStream err) {
    if (!args.isEmpty()) {
      if (args.equals(List.of("--help")) || args.equals(List.of("-h"))) {
        out.println("Usage: lanthorn feeds");
        out.println(description());
        return 0;
      }
      err.println("lanthorn feeds: unexpected argument " + args.getFirst() + "; it takes none");
      return 2;
    }
    ThreatSettings settings;
    try {
      settings = ThreatSettings.from(context.config());
    } catch (PluginException e) {
      err.println("lanthorn feeds: " + e.getMessage());
      return 2;
    }
    FeedCache cache = new FeedCache(settings.cacheDir());
    out.printf(
        "%-16s %-7s %9s %9s  %-24s  %s%n",
        "FEED", "FORMAT", "ENTRIES", "MALFORMED", "LAST GOOD REFRESH", "LAST ERROR");
    for (FeedSpec feed : settings.feeds()) {
      FeedStatus status;
      try {
        status = cache.status(feed.name());
      } catch (IOException | RuntimeException e) {
        err.println(
            "lanthorn feeds: cannot read the status of feed '"
                + feed.name()
                + "' in "
                + settings.cacheDir()
                + ": "
                + e.getMessage());
        return 1;
      }
      boolean current = feed.url().toString().equals(status.url());
      out.printf(
          "%-16s %-7s %9s %9s  %-24s  %s%n",
          feed.name(),
          feed.format().label(),
          current ? Integer.toString(status.entries()) : "-",
          current ? Integer.toString(status.malformed()) : "-",
          current && status.lastGood() != null ? status.lastGood().toString() : "never",
          status.lastError() == null
              ? "-"
              : status.lastError() + " (" + status.lastErrorAt() + ")");
    }
    if (settings.feeds().isEmpty()) {
      out.println("(no feeds configured: enricher-threat.feeds is empty)");
    }
    return 0;
  }
}

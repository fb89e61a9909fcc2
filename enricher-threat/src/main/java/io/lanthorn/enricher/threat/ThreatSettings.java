package io.lanthorn.enricher.threat;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code enricher-threat} section, checked. */
record ThreatSettings(
    List<FeedSpec> feeds,
    boolean remoteFetch,
    Allowlist allowlist,
    Path cacheDir,
    long maxSize,
    Duration timeout,
    double minKeepRatio,
    int warnedPairs) {

  static ThreatSettings from(PluginConfig config) throws PluginException {
    List<FeedSpec> feeds = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (PluginConfig feed : config.getConfigList("feeds")) {
      FeedSpec spec = FeedSpec.from(feed);
      if (!names.add(spec.name())) {
        throw new PluginException(
            config.section() + ".feeds: two feeds are named '" + spec.name() + "'; rename one");
      }
      feeds.add(spec);
    }
    Allowlist allowlist;
    try {
      allowlist = Allowlist.of(config.getStringList("allowlist"));
    } catch (IllegalArgumentException e) {
      throw new PluginException(config.section() + ".allowlist: " + e.getMessage(), e);
    }
    long maxSize = config.getBytes("max-size");
    if (maxSize < 1) {
      throw new PluginException(config.section() + ".max-size must be positive, e.g. 64M");
    }
    double ratio = config.getDouble("min-keep-ratio");
    if (ratio < 0 || ratio > 1) {
      throw new PluginException(
          config.section() + ".min-keep-ratio: " + ratio + " must be between 0 and 1, e.g. 0.1");
    }
    int warned = config.getInt("warned-pairs");
    if (warned < 1) {
      throw new PluginException(config.section() + ".warned-pairs must be positive");
    }
    return new ThreatSettings(
        List.copyOf(feeds),
        config.getBoolean("remote-fetch"),
        allowlist,
        Path.of(config.getString("cache-dir")),
        maxSize,
        config.getDuration("timeout"),
        ratio,
        warned);
  }
}

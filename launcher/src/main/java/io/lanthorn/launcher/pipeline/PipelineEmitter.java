package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import java.util.Collection;
import java.util.List;

/**
 * What sources emit into: counts every event as received and puts it into the bounded hand-off,
 * waiting for room ({@code block}) or counting a drop ({@code drop}). An event refused because the
 * pipeline already stopped is counted as dropped too ({@code after_stop}): nothing is lost
 * silently.
 */
final class PipelineEmitter implements EventEmitter {
  private final EventBuffer handOff;
  private final PipelineCounters counters;
  private final boolean wait;

  PipelineEmitter(EventBuffer handOff, PipelineCounters counters, OverflowPolicy overflow) {
    this.handOff = handOff;
    this.counters = counters;
    this.wait = overflow == OverflowPolicy.BLOCK;
  }

  @Override
  public void emit(Event event) {
    counters.received().increment();
    if (!handOff.add(event, wait)) {
      counters.dropped(reason(), 1);
    }
  }

  @Override
  public void emitAll(Collection<? extends Event> events) {
    List<? extends Event> list =
        events instanceof List<? extends Event> l ? l : List.copyOf(events);
    counters.received().add(list.size());
    int added = handOff.add(list, 0, wait);
    if (added < list.size()) {
      counters.dropped(reason(), list.size() - added);
    }
  }

  @Override
  public void reportLost(String reason, long count) {
    counters.lostAtSource(reason, count);
  }

  private String reason() {
    if (handOff.isClosed()) {
      return "after_stop";
    }
    return Thread.currentThread().isInterrupted() ? "interrupted" : "queue_full";
  }
}

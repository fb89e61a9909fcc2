package io.lanthorn.bpf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Loads and attaches a BPF object with the first {@link AttachStrategy} that works. Each attempt
 * starts from a fresh object, because libbpf cannot load an object again after a failed load.
 */
public final class ProbeLoader {
  private final String objectName;
  private final byte[] elf;
  private final Logger log;

  /**
   * @param objectName names the object in the kernel and in messages
   * @param elf the object file clang produced
   * @param log where the choice of strategy and the reasons others failed go
   */
  public ProbeLoader(String objectName, byte[] elf, Logger log) {
    this.objectName = objectName;
    this.elf = elf.clone();
    this.log = log;
  }

  /**
   * Tries each strategy in order.
   *
   * @param configure sizes maps and sets constants of each freshly opened object, before load
   * @throws BpfException naming every strategy's reason when none works
   */
  public AttachedProbe load(List<AttachStrategy> strategies, Consumer<BpfObject> configure) {
    BpfSupport.check();
    List<String> reasons = new ArrayList<>();
    for (AttachStrategy strategy : strategies) {
      BpfObject object = BpfObject.open(objectName, elf);
      try {
        for (BpfProgram program : object.programs()) {
          program.setAutoload(strategy.programs().contains(program.name()));
        }
        configure.accept(object);
        object.load();
        List<BpfLink> links = strategy.attach(object);
        log.info("{}: attached with strategy {}", objectName, strategy.name());
        return new AttachedProbe(object, strategy, links);
      } catch (BpfException e) {
        object.close();
        log.info("{}: attach strategy {} failed: {}", objectName, strategy.name(), e.getMessage());
        reasons.add(strategy.name() + ": " + e.getMessage());
      } catch (RuntimeException e) {
        object.close();
        throw e;
      }
    }
    throw new BpfException("cannot attach " + objectName + " (" + String.join("; ", reasons) + ")");
  }

  /** A loaded object attached by one strategy. Closing it detaches and unloads everything. */
  public static final class AttachedProbe implements AutoCloseable {
    private final BpfObject object;
    private final AttachStrategy strategy;
    private final List<BpfLink> links;

    AttachedProbe(BpfObject object, AttachStrategy strategy, List<BpfLink> links) {
      this.object = object;
      this.strategy = strategy;
      this.links = List.copyOf(links);
    }

    /** The loaded object: its maps stay readable after {@link #detach()}. */
    public BpfObject object() {
      return object;
    }

    /** The name of the strategy that attached it. */
    public String strategy() {
      return strategy.name();
    }

    /** The programs the strategy loaded. */
    public List<BpfProgram> programs() {
      return strategy.programs().stream().sorted().map(object::program).toList();
    }

    /** The links holding the programs attached. */
    public List<BpfLink> links() {
      return links;
    }

    /** Detaches the programs; they produce nothing more, and the maps stay readable. */
    public void detach() {
      links.forEach(BpfLink::close);
    }

    /** Detaches, unloads the programs and releases the maps. */
    @Override
    public void close() {
      object.close();
    }
  }
}

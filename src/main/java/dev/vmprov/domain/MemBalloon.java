package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code <memballoon model=...>}: {@code virtio} lets the host reclaim guest memory; {@code none} denies the
 * host that lever (and the view into guest memory use it gives).
 */
public record MemBalloon(String model) implements DomainElement {
    @Override
    public Element build(Document doc) {
        return Xml.empty(doc, "memballoon", "model", model);
    }
}

package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <memballoon model=...>}: {@code none} keeps the host from reclaiming (and observing) guest memory. */
public record MemBalloon(String model) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element balloon = doc.createElement("memballoon");
        balloon.setAttribute("model", model);
        return balloon;
    }
}

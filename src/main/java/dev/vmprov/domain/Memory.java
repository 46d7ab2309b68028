package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <memory unit='MiB'>}: the guest's memory. */
public record Memory(int mebibytes) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element memory = doc.createElement("memory");
        memory.setAttribute("unit", "MiB");
        memory.setTextContent(Integer.toString(mebibytes));
        return memory;
    }
}

package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <vcpu>}: the number of virtual CPUs. */
public record Vcpu(int count) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element vcpu = doc.createElement("vcpu");
        vcpu.setTextContent(Integer.toString(count));
        return vcpu;
    }
}

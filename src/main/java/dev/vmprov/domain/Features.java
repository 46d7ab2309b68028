package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <features>}: ACPI and APIC, which modern guests expect (ACPI also lets {@code stop} shut down cleanly). */
public record Features() implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element features = doc.createElement("features");
        features.appendChild(doc.createElement("acpi"));
        features.appendChild(doc.createElement("apic"));
        return features;
    }
}

package dev.vmprov.domain;

import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <devices>}: the guest's devices, each its own element class. */
public record Devices(List<DomainElement> devices) implements DomainElement {

    public Devices {
        devices = List.copyOf(devices);
    }

    @Override
    public Element build(Document doc) {
        Element element = doc.createElement("devices");
        for (DomainElement device : devices) {
            element.appendChild(device.build(doc));
        }
        return element;
    }
}

package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.vmprov.config.PciAddress;

/** {@code <hostdev mode='subsystem' type='pci' managed='yes'>}: a host PCI device (a GPU) passed through. */
public record PciHostdev(PciAddress address) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element hostdev = Xml.empty(doc, "hostdev", "mode", "subsystem", "type", "pci", "managed", "yes");
        Element source = doc.createElement("source");
        source.appendChild(Xml.empty(doc, "address",
                "domain", String.format("0x%04x", address.domain()),
                "bus", String.format("0x%02x", address.bus()),
                "slot", String.format("0x%02x", address.slot()),
                "function", String.format("0x%x", address.function())));
        hostdev.appendChild(source);
        return hostdev;
    }
}

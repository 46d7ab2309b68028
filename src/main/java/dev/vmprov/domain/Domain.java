package dev.vmprov.domain;

import java.util.List;
import java.util.Objects;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <domain type=...>}: the root, composed of its child elements in libvirt's order. */
public record Domain(String type, String name, InstanceMetadata metadata, Memory memory, Vcpu vcpu, Os os,
        Devices devices) implements DomainElement {

    public Domain {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public Element build(Document doc) {
        Element domain = doc.createElement("domain");
        domain.setAttribute("type", type);
        Element nameElement = doc.createElement("name");
        nameElement.setTextContent(name);
        domain.appendChild(nameElement);
        for (DomainElement child : List.of(metadata, memory, vcpu, os, devices)) {
            if (child != null) {
                domain.appendChild(child.build(doc));
            }
        }
        return domain;
    }
}

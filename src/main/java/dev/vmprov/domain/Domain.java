package dev.vmprov.domain;

import java.util.List;
import java.util.Objects;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <domain type=...>}: the root; its children are the other element classes, in order. */
public record Domain(String type, String name, List<DomainElement> children) implements DomainElement {

    public Domain {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        children = List.copyOf(children);
    }

    @Override
    public Element build(Document doc) {
        Element domain = doc.createElement("domain");
        domain.setAttribute("type", type);
        domain.appendChild(Xml.text(doc, "name", name));
        for (DomainElement child : children) {
            domain.appendChild(child.build(doc));
        }
        return domain;
    }
}

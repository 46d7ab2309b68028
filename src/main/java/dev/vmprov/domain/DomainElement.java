package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** One element of a libvirt domain definition, built with the DOM API so every value is escaped. */
public interface DomainElement {
    Element build(Document doc);
}

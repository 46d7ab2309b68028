package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * One element of a libvirt domain definition (or a few siblings, as a fragment), built with the DOM API so
 * every value is escaped.
 */
public interface DomainElement {
    Node build(Document doc);
}

package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <graphics type='vnc'>} listening on the host's loopback only, on a port libvirt picks. */
public record Graphics() implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element graphics = Xml.empty(doc, "graphics", "type", "vnc", "autoport", "yes", "listen", "127.0.0.1");
        graphics.appendChild(Xml.empty(doc, "listen", "type", "address", "address", "127.0.0.1"));
        return graphics;
    }
}

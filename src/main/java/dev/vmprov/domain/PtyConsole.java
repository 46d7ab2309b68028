package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <serial type='pty'>}: the guest's first serial port, which libvirt also offers as its console. */
public record PtyConsole() implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element serial = doc.createElement("serial");
        serial.setAttribute("type", "pty");
        Element target = doc.createElement("target");
        target.setAttribute("port", "0");
        serial.appendChild(target);
        return serial;
    }
}

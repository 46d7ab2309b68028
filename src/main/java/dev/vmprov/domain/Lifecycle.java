package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.DocumentFragment;

/** {@code <on_poweroff>}, {@code <on_reboot>}, {@code <on_crash>}: what libvirt does on each event (three siblings). */
public record Lifecycle(String onPoweroff, String onReboot, String onCrash) implements DomainElement {
    @Override
    public DocumentFragment build(Document doc) {
        DocumentFragment f = doc.createDocumentFragment();
        f.appendChild(Xml.text(doc, "on_poweroff", onPoweroff));
        f.appendChild(Xml.text(doc, "on_reboot", onReboot));
        f.appendChild(Xml.text(doc, "on_crash", onCrash));
        return f;
    }
}

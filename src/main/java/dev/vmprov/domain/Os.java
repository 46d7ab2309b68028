package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <os>}: a full-virtualisation guest booting from its first disk. */
public record Os(String arch) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element os = doc.createElement("os");
        Element type = doc.createElement("type");
        if (arch != null) {
            type.setAttribute("arch", arch);
        }
        type.setTextContent("hvm");
        os.appendChild(type);
        Element boot = doc.createElement("boot");
        boot.setAttribute("dev", "hd");
        os.appendChild(boot);
        return os;
    }
}

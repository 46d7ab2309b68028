package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code <os>}: a full-virtualisation guest booting from its first disk; {@code uefi} asks libvirt to pick UEFI
 * firmware ({@code firmware='efi'}), which confidential guests need.
 */
public record Os(String arch, String machine, boolean uefi) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element os = doc.createElement("os");
        if (uefi) {
            os.setAttribute("firmware", "efi");
        }
        Element type = Xml.text(doc, "type", "hvm");
        if (arch != null) {
            type.setAttribute("arch", arch);
        }
        if (machine != null) {
            type.setAttribute("machine", machine);
        }
        os.appendChild(type);
        os.appendChild(Xml.empty(doc, "boot", "dev", "hd"));
        return os;
    }
}

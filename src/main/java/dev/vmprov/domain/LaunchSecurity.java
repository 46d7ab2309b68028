package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code <launchSecurity type='sev'>}: AMD SEV memory encryption. {@code cbitpos} and {@code reducedPhysBits}
 * come from the host's domain capabilities, never guessed; {@code policy} is the guest policy bit field.
 */
public record LaunchSecurity(String policy, int cbitpos, int reducedPhysBits) implements DomainElement {

    /** NODBG (no debugging of the guest) | NOKS (no key sharing with other guests). */
    public static final String DEFAULT_POLICY = "0x0003";

    @Override
    public Element build(Document doc) {
        Element sev = Xml.empty(doc, "launchSecurity", "type", "sev");
        sev.appendChild(Xml.text(doc, "cbitpos", Integer.toString(cbitpos)));
        sev.appendChild(Xml.text(doc, "reducedPhysBits", Integer.toString(reducedPhysBits)));
        sev.appendChild(Xml.text(doc, "policy", policy));
        return sev;
    }
}

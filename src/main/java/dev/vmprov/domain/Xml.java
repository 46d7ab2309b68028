package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Small helpers for the element classes. */
final class Xml {

    private Xml() {
    }

    static Element text(Document doc, String name, String text) {
        Element e = doc.createElement(name);
        e.setTextContent(text);
        return e;
    }

    /** {@code <name a1='v1' a2='v2' .../>} from alternating attribute names and values. */
    static Element empty(Document doc, String name, String... attributes) {
        Element e = doc.createElement(name);
        for (int i = 0; i < attributes.length; i += 2) {
            e.setAttribute(attributes[i], attributes[i + 1]);
        }
        return e;
    }

    /** {@code <driver iommu='on'/>}, which virtio devices of confidential guests need. */
    static Element iommuDriver(Document doc) {
        return empty(doc, "driver", "iommu", "on");
    }
}

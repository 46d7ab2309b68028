package dev.vmprov.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Map;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code <interface>}: generated as a virtio NIC on libvirt's {@code default} network with a MAC address derived
 * from the VM name (stable across re-creation), then merged with {@code LIBVIRT_NETWORK_TEMPLATE}: the
 * template's attributes override the generated ones, its child elements replace generated children of the same
 * name, and a template that changes {@code @type} also drops the generated {@code <source>} (whose shape depends
 * on the type). The MAC address is always the generated one. See docs/network-template.md.
 */
public record NetworkInterface(String vmName, ObjectNode template, boolean iommu) implements DomainElement {

    @Override
    public Element build(Document doc) {
        Element nic = Xml.empty(doc, "interface", "type", "network");
        nic.appendChild(Xml.empty(doc, "mac", "address", macFor(vmName)));
        nic.appendChild(Xml.empty(doc, "source", "network", "default"));
        nic.appendChild(Xml.empty(doc, "model", "type", "virtio"));
        if (template != null) {
            if (template.has("@type") && !template.has("source")) {
                removeChildren(nic, "source");
            }
            apply(doc, nic, template);
        }
        if (iommu) {
            Element driver = firstChild(nic, "driver");
            if (driver == null) {
                nic.appendChild(Xml.iommuDriver(doc));
            } else {
                driver.setAttribute("iommu", "on");
            }
        }
        return nic;
    }

    /** Locally administered, in QEMU's 52:54:00 prefix, from the first three bytes of SHA-256(name). */
    public static String macFor(String vmName) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(vmName.getBytes(StandardCharsets.UTF_8));
            return String.format("52:54:00:%02x:%02x:%02x", hash[0], hash[1], hash[2]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void apply(Document doc, Element target, JsonNode template) {
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.equals("#text")) {
                target.setTextContent(value.asText());
            } else if (key.startsWith("@")) {
                target.setAttribute(key.substring(1), value.asText());
            } else {
                removeChildren(target, key);
                if (value.isArray()) {
                    value.forEach(item -> target.appendChild(element(doc, key, item)));
                } else {
                    target.appendChild(element(doc, key, value));
                }
            }
        }
    }

    private static Element element(Document doc, String name, JsonNode value) {
        Element e = doc.createElement(name);
        if (value.isObject()) {
            apply(doc, e, value);
        } else {
            e.setTextContent(value.asText());
        }
        return e;
    }

    private static void removeChildren(Element parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; ) {
            Node next = child.getNextSibling();
            if (child instanceof Element e && e.getTagName().equals(name)) {
                parent.removeChild(child);
            }
            child = next;
        }
    }

    private static Element firstChild(Element parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}

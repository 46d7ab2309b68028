package dev.vmprov.domain;

import java.util.Optional;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code <metadata><vmprov:instance .../></metadata>}: what vmprov needs to know about a domain it created
 * (the tier it was given, the request that created it) kept in libvirt itself, so it survives restarts.
 */
public record InstanceMetadata(String requestId, String isolationTier) implements DomainElement {

    public static final String NAMESPACE = "https://vmprov.dev/xmlns/domain/1";

    @Override
    public Element build(Document doc) {
        Element metadata = doc.createElement("metadata");
        Element instance = doc.createElementNS(NAMESPACE, "vmprov:instance");
        instance.setAttribute("requestId", requestId);
        instance.setAttribute("isolationTier", isolationTier);
        metadata.appendChild(instance);
        return metadata;
    }

    /** Reads the metadata back from a domain's XML description; empty for domains vmprov did not create. */
    public static Optional<InstanceMetadata> readFrom(String domainXml) {
        return readFrom(DomainXml.parse(domainXml));
    }

    /** The same, from a domain description already parsed. */
    public static Optional<InstanceMetadata> readFrom(Document domain) {
        NodeList nodes = domain.getElementsByTagNameNS(NAMESPACE, "instance");
        if (nodes.getLength() == 0) {
            return Optional.empty();
        }
        Element instance = (Element) nodes.item(0);
        return Optional.of(new InstanceMetadata(instance.getAttribute("requestId"),
                instance.getAttribute("isolationTier")));
    }
}

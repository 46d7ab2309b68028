package dev.vmprov.executor;

import java.util.Optional;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

import dev.vmprov.domain.DomainXml;

/**
 * What the host offers, read from libvirt once per connection: the domain type to ask for, the host
 * architecture, and AMD SEV with its {@code cbitpos} / {@code reducedPhysBits} from the domain capabilities
 * (or why SEV is unavailable).
 */
public record HostFacts(String domainType, String arch, Optional<Sev> sev, String sevUnavailable) {

    public record Sev(int cbitpos, int reducedPhysBits) {
    }

    /** The host architecture from {@code virConnectGetCapabilities}, or null. */
    public static String hostArch(String capabilitiesXml) {
        return xpath(DomainXml.parse(capabilitiesXml), "/capabilities/host/cpu/arch");
    }

    /**
     * SEV from {@code virConnectGetDomainCapabilities}: {@code <features><sev supported='yes'>} with its
     * {@code cbitpos} and {@code reducedPhysBits}; empty when absent or not supported.
     */
    public static Optional<Sev> sevFrom(String domainCapabilitiesXml) {
        Document doc = DomainXml.parse(domainCapabilitiesXml);
        String supported = xpath(doc, "/domainCapabilities/features/sev/@supported");
        if (!"yes".equals(supported)) {
            return Optional.empty();
        }
        String cbitpos = xpath(doc, "/domainCapabilities/features/sev/cbitpos");
        String reduced = xpath(doc, "/domainCapabilities/features/sev/reducedPhysBits");
        if (cbitpos == null || reduced == null) {
            return Optional.empty();
        }
        return Optional.of(new Sev(Integer.parseInt(cbitpos.trim()), Integer.parseInt(reduced.trim())));
    }

    private static String xpath(Document doc, String expression) {
        try {
            XPath xpath = XPathFactory.newInstance().newXPath();
            Node node = (Node) xpath.evaluate(expression, doc, XPathConstants.NODE);
            return node == null ? null : node.getTextContent();
        } catch (XPathExpressionException e) {
            throw new IllegalStateException(e);
        }
    }
}

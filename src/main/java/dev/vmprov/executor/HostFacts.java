package dev.vmprov.executor;

import java.util.Locale;
import java.util.Optional;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.VmprovNative;
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

    /**
     * Reads the facts from libvirt: "test" on the test driver; on QEMU "kvm" where the host offers it (or as
     * {@code VMPROV_DOMAIN_TYPE} says), else "qemu" (TCG); the host architecture; SEV from the domain capabilities
     * for q35, or why it is unavailable.
     */
    public static HostFacts detect(Connect c, String domainTypeSetting) throws LibvirtException {
        String driverType = c.getType().toLowerCase(Locale.ROOT);
        if (driverType.equals("test")) {
            return new HostFacts("test", null, Optional.empty(), sevUnavailable(c, null, null, "test"));
        }
        String capabilities = c.getCapabilities();
        String arch = hostArch(capabilities);
        String type = !driverType.equals("qemu") ? driverType
                : !"auto".equals(domainTypeSetting) ? domainTypeSetting
                : capabilities.contains("type='kvm'") ? "kvm" : "qemu";
        try {
            Optional<Sev> sev = sevFrom(VmprovNative.domainCapabilities(c, null, arch, "q35", type));
            return new HostFacts(type, arch, sev, sev.isPresent() ? null
                    : "its domain capabilities have no <sev supported='yes'>");
        } catch (LibvirtException e) {
            return new HostFacts(type, arch, Optional.empty(), "domain capabilities unavailable: "
                    + LibvirtExecutor.describe(e));
        }
    }

    private static String sevUnavailable(Connect c, String arch, String machine, String type) {
        try {
            return sevFrom(VmprovNative.domainCapabilities(c, null, arch, machine, type)).isPresent()
                    ? null : "its domain capabilities have no <sev supported='yes'>";
        } catch (LibvirtException e) {
            return "domain capabilities unavailable: " + LibvirtExecutor.describe(e);
        }
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

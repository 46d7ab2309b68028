package dev.vmprov.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.vmprov.config.PciAddress;
import dev.vmprov.domain.DomainXml;

/** Which host resources the defined domains hold: PCI devices passed through, and console TCP ports. */
public record DomainInventory(Map<PciAddress, String> pciHolders, Map<Integer, String> portHolders) {

    public static DomainInventory of(Map<String, String> xmlByDomain) {
        Map<PciAddress, String> pci = new HashMap<>();
        Map<Integer, String> ports = new HashMap<>();
        xmlByDomain.forEach((name, xml) -> {
            Document doc = DomainXml.parse(xml);
            pciDevices(doc).forEach(a -> pci.put(a, name));
            tcpConsolePort(doc).ifPresent(p -> ports.put(p, name));
        });
        return new DomainInventory(Map.copyOf(pci), Map.copyOf(ports));
    }

    /** The PCI devices a domain's XML passes through. */
    public static List<PciAddress> pciDevices(String xml) {
        return pciDevices(DomainXml.parse(xml));
    }

    /** The PCI devices of a domain description already parsed. */
    public static List<PciAddress> pciDevices(Document doc) {
        List<PciAddress> result = new ArrayList<>();
        NodeList hostdevs = doc.getElementsByTagName("hostdev");
        for (int i = 0; i < hostdevs.getLength(); i++) {
            Element hostdev = (Element) hostdevs.item(i);
            if (!"pci".equals(hostdev.getAttribute("type"))) {
                continue;
            }
            NodeList addresses = hostdev.getElementsByTagName("address");
            for (int j = 0; j < addresses.getLength(); j++) {
                Element a = (Element) addresses.item(j);
                if (a.getParentNode() instanceof Element parent && parent.getTagName().equals("source")) {
                    result.add(new PciAddress(hex(a.getAttribute("domain")), hex(a.getAttribute("bus")),
                            hex(a.getAttribute("slot")), hex(a.getAttribute("function"))));
                }
            }
        }
        return result;
    }

    private static Optional<Integer> tcpConsolePort(Document doc) {
        NodeList serials = doc.getElementsByTagName("serial");
        for (int i = 0; i < serials.getLength(); i++) {
            Element serial = (Element) serials.item(i);
            if (!"tcp".equals(serial.getAttribute("type"))) {
                continue;
            }
            NodeList sources = serial.getElementsByTagName("source");
            for (int j = 0; j < sources.getLength(); j++) {
                String service = ((Element) sources.item(j)).getAttribute("service");
                if (service.matches("\\d{1,5}")) {
                    return Optional.of(Integer.parseInt(service));
                }
            }
        }
        return Optional.empty();
    }

    private static int hex(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        return value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
    }
}

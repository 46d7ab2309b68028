package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code <disk type='file' device='disk'>}: the boot volume from {@code LIBVIRT_VOLUME_TEMPLATE}. */
public record Disk(String path, String driverName, String driverType, String bus, boolean iommu)
        implements DomainElement {

    /** vda for virtio, hda for ide, sda for the others. */
    public String targetDev() {
        return switch (bus) {
            case "virtio" -> "vda";
            case "ide" -> "hda";
            default -> "sda";
        };
    }

    @Override
    public Element build(Document doc) {
        Element disk = Xml.empty(doc, "disk", "type", "file", "device", "disk");
        Element driver = Xml.empty(doc, "driver", "name", driverName, "type", driverType);
        if (iommu && bus.equals("virtio")) {
            driver.setAttribute("iommu", "on");
        }
        disk.appendChild(driver);
        disk.appendChild(Xml.empty(doc, "source", "file", path));
        disk.appendChild(Xml.empty(doc, "target", "dev", targetDev(), "bus", bus));
        return disk;
    }
}

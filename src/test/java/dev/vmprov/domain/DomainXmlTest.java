package dev.vmprov.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vmprov.config.ConsoleSource;
import dev.vmprov.config.PciAddress;
import dev.vmprov.config.Problems;

/**
 * Golden files for each element class, one XML file each under src/test/resources/golden.
 * VMPROV_UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
 */
class DomainXmlTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static void assertGolden(String file, DomainElement element) throws IOException {
        String xml = DomainXml.render(element);
        Path path = GOLDEN.resolve(file);
        if ("1".equals(System.getenv("VMPROV_UPDATE_GOLDEN"))) {
            Files.createDirectories(GOLDEN);
            Files.writeString(path, xml);
        }
        assertThat(path).as("golden file %s (VMPROV_UPDATE_GOLDEN=1 writes it)", path).exists();
        assertThat(xml).isEqualTo(Files.readString(path));
    }

    private static ConsoleSource console(String raw) {
        Problems problems = new Problems();
        ConsoleSource source = ConsoleSource.parse(raw, problems);
        assertThat(problems.messages()).isEmpty();
        return source;
    }

    @Test
    void eachElementRendersAsItsGoldenFile() throws IOException {
        assertGolden("memory.xml", new Memory(512));
        assertGolden("vcpu.xml", new Vcpu(2));
        assertGolden("os.xml", new Os("x86_64", null, false));
        assertGolden("os-uefi-q35.xml", new Os("x86_64", "q35", true));
        assertGolden("features.xml", new Features());
        assertGolden("lifecycle.xml", new Lifecycle("destroy", "restart", "destroy"));
        assertGolden("memory-backing.xml", new MemoryBacking(true, true));
        assertGolden("metadata.xml", new InstanceMetadata("req-1", "hardened"));
        assertGolden("memballoon.xml", new MemBalloon("none"));
        assertGolden("graphics.xml", new Graphics());
        assertGolden("disk-virtio-iommu.xml", new Disk("/var/lib/libvirt/images/web-1.qcow2", "qemu", "qcow2",
                "virtio", true));
        assertGolden("disk-ide.xml", new Disk("/srv/boot/web-1.img", "qemu", "raw", "ide", false));
        assertGolden("hostdev-pci.xml", new PciHostdev(PciAddress.parse("0000:65:1f.3").orElseThrow()));
        assertGolden("launch-security-sev.xml", new LaunchSecurity("0x0003", 47, 1));
        assertGolden("serial-pty.xml", new Serial(ConsoleSource.PTY, "web-1", 0));
        assertGolden("serial-tcp.xml", new Serial(console("tcp"), "web-1", 20001));
        assertGolden("serial-unix.xml", new Serial(console("{\"type\":\"unix\",\"directory\":\"/run/vmprov\"}"),
                "web-1", 0));
        assertGolden("serial-file.xml", new Serial(console("{\"type\":\"file\",\"logDirectory\":\"/srv/log\"}"),
                "web-1", 0));
        assertGolden("interface-default.xml", new NetworkInterface("web-1", null, false));
        assertGolden("interface-bridge-iommu.xml", new NetworkInterface("web-1", (ObjectNode) new ObjectMapper()
                .readTree("{\"@type\":\"bridge\",\"source\":{\"@bridge\":\"br0\"},\"mtu\":{\"@size\":9000},"
                        + "\"bandwidth\":{\"inbound\":{\"@average\":1000},\"outbound\":{\"@average\":500}}}"), true));
    }

    @Test
    void theContainersRenderTheirChildrenInOrder() throws IOException {
        assertGolden("devices.xml", new Devices(List.of(new Serial(ConsoleSource.PTY, "web-1", 0),
                new MemBalloon("virtio"))));
        assertGolden("domain.xml", new Domain("kvm", "web-1", List.of(new InstanceMetadata("req-1", "standard"),
                new Memory(512), new Vcpu(2), new Os("x86_64", null, false), new Features(),
                new Lifecycle("destroy", "restart", "destroy"), new Devices(List.of(new MemBalloon("virtio"))))));
    }

    @Test
    void valuesAreEscapedNotConcatenated() {
        String xml = DomainXml.render(new InstanceMetadata("a\"<b>&'c", "standard"));
        assertThat(xml).contains("requestId=\"a&quot;&lt;b&gt;&amp;'c\"");
        assertThat(InstanceMetadata.readFrom("<domain>" + xml + "</domain>")).get()
                .extracting(InstanceMetadata::requestId).isEqualTo("a\"<b>&'c");
    }

    @Test
    void theMacAddressIsStablePerVmAndDiffersBetweenVms() {
        assertThat(NetworkInterface.macFor("web-1")).isEqualTo(NetworkInterface.macFor("web-1"))
                .matches("52:54:00(:[0-9a-f]{2}){3}").isNotEqualTo(NetworkInterface.macFor("web-2"));
        assertThat(List.of("a", "b", "c", "d").stream().map(NetworkInterface::macFor).distinct()).hasSize(4);
    }
}

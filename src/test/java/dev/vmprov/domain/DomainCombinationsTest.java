package dev.vmprov.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import dev.vmprov.config.ConsoleSource;
import dev.vmprov.config.NetworkTemplate;
import dev.vmprov.config.PciAddress;
import dev.vmprov.config.Problems;
import dev.vmprov.config.VolumeTemplate;
import dev.vmprov.executor.DomainBuilder;
import dev.vmprov.executor.HostFacts;
import dev.vmprov.request.Action;
import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.ProvisioningRequest;
import dev.vmprov.request.RecordOrigin;

/**
 * Every combination that matters (tier x console source x GPU or none x network/volume templates) is checked
 * against libvirt's own RelaxNG schema with virt-xml-validate, and defined on the test driver.
 * The SEV host is a FAKE (src/test/resources/host/domcaps-sev.xml), and so are the GPUs' PCI addresses: neither
 * exists on our machines. The test driver defines such domains without touching hardware.
 */
class DomainCombinationsTest {

    private static Connect libvirt;
    private static HostFacts sevHost;

    @BeforeAll
    static void open() throws Exception {
        libvirt = new Connect("test:///default");
        String domcaps = Files.readString(Path.of("src/test/resources/host/domcaps-sev.xml"));
        sevHost = new HostFacts("kvm", "x86_64", HostFacts.sevFrom(domcaps), null);
    }

    @AfterAll
    static void close() throws Exception {
        libvirt.close();
    }

    private static <T> T parsed(java.util.function.Function<Problems, T> parse) {
        Problems problems = new Problems();
        T value = parse.apply(problems);
        assertThat(problems.messages()).isEmpty();
        return value;
    }

    private record Templates(String label, NetworkTemplate network, VolumeTemplate volume) {
    }

    @Test
    void everyCombinationPassesLibvirtsSchemaAndDefinesOnTheTestDriver() throws Exception {
        List<Templates> templates = List.of(
                new Templates("default-network+qcow2", NetworkTemplate.DEFAULT, parsed(p -> VolumeTemplate.parse(
                        "{\"path\":\"/var/lib/libvirt/images/{name}.qcow2\",\"driver\":{\"type\":\"qcow2\"}}", p))),
                new Templates("bridge+ide", parsed(p -> NetworkTemplate.parse("{\"@type\":\"bridge\",\"source\":"
                        + "{\"@bridge\":\"br0\"},\"mtu\":{\"@size\":9000}}", p)), parsed(p -> VolumeTemplate.parse(
                        "{\"path\":\"/srv/vm/{name}/boot.img\",\"bus\":\"ide\"}", p))),
                new Templates("no-network+no-disk", NetworkTemplate.NONE, null));
        List<ConsoleSource> consoles = List.of(ConsoleSource.PTY, parsed(p -> ConsoleSource.parse("tcp", p)),
                parsed(p -> ConsoleSource.parse("unix", p)), parsed(p -> ConsoleSource.parse("file", p)));
        List<List<PciAddress>> gpuChoices = List.of(List.of(),
                List.of(PciAddress.parse("0000:65:00.0").orElseThrow(), PciAddress.parse("0000:b3:00.0").orElseThrow()));

        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (IsolationTier tier : IsolationTier.values()) {
            for (ConsoleSource console : consoles) {
                for (List<PciAddress> gpus : gpuChoices) {
                    for (Templates t : templates) {
                        String name = "combo-" + tier.wireName() + "-" + console.type().name().toLowerCase()
                                + "-" + gpus.size() + "-" + checked;
                        ProvisioningRequest request = new ProvisioningRequest("req-" + checked, Action.CREATE, name,
                                tier, 512, 2, gpus.size(), RecordOrigin.local("test"));
                        DomainBuilder builder = new DomainBuilder(t.network(), t.volume(), console);
                        String xml = DomainXml.render(builder.build(request, sevHost, gpus, 20000 + checked));
                        String label = tier + "/" + console.type() + "/gpus=" + gpus.size() + "/" + t.label();
                        String invalid = schemaProblems(xml);
                        if (invalid != null) {
                            failures.add(label + ": " + invalid + "\n" + xml);
                        }
                        HostFacts testHost = new HostFacts("test", null, sevHost.sev(), null);
                        String testXml = DomainXml.render(builder.build(request, testHost, gpus, 20000 + checked));
                        org.libvirt.Domain defined = libvirt.domainDefineXML(testXml);
                        defined.undefine();
                        checked++;
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(3 * 4 * 2 * 3);
    }

    @Test
    void eachTierMeansSomethingInTheXml() {
        DomainBuilder builder = new DomainBuilder(NetworkTemplate.DEFAULT, parsed(p -> VolumeTemplate.parse(
                "{\"path\":\"/var/lib/libvirt/images/{name}.qcow2\"}", p)), ConsoleSource.PTY);
        Map<IsolationTier, String> xml = new java.util.EnumMap<>(IsolationTier.class);
        for (IsolationTier tier : IsolationTier.values()) {
            xml.put(tier, DomainXml.render(builder.build(new ProvisioningRequest("r", Action.CREATE, "t-" + tier,
                    tier, 1024, 1, 0, RecordOrigin.local("test")), sevHost, List.of(), 0)));
        }
        assertThat(xml.get(IsolationTier.STANDARD)).contains("<memballoon model=\"virtio\"/>")
                .contains("<graphics").doesNotContain("<memoryBacking").doesNotContain("launchSecurity");
        assertThat(xml.get(IsolationTier.HARDENED)).contains("<memballoon model=\"none\"/>")
                .contains("<nosharepages/>").contains("<locked/>").doesNotContain("<graphics")
                .doesNotContain("launchSecurity").doesNotContain("iommu");
        assertThat(xml.get(IsolationTier.CONFIDENTIAL)).contains("<memballoon model=\"none\"/>")
                .contains("<locked/>").doesNotContain("<graphics")
                .contains("<launchSecurity type=\"sev\">").contains("<cbitpos>51</cbitpos>")
                .contains("<reducedPhysBits>5</reducedPhysBits>").contains("<policy>0x0003</policy>")
                .contains("<os firmware=\"efi\">").contains("machine=\"q35\"");
        // every virtio device of a confidential guest goes through the IOMMU
        String confidential = xml.get(IsolationTier.CONFIDENTIAL);
        assertThat(confidential).contains("<driver iommu=\"on\" name=\"qemu\" type=\"raw\"/>")
                .contains("<driver iommu=\"on\"/>");
    }

    @Test
    void sevIsReadFromTheDomainCapabilitiesNotAssumed() throws Exception {
        assertThat(sevHost.sev()).contains(new HostFacts.Sev(51, 5));
        assertThat(HostFacts.sevFrom(Files.readString(Path.of("src/test/resources/host/domcaps-no-sev.xml"))))
                .isEqualTo(Optional.empty());
    }

    /** virt-xml-validate's complaint, or null when the XML is valid. */
    static String schemaProblems(String xml) throws Exception {
        Path file = Files.createTempFile("domain-", ".xml");
        try {
            Files.writeString(file, xml);
            Process validate = new ProcessBuilder("virt-xml-validate", file.toString(), "domain")
                    .redirectErrorStream(true).start();
            String output = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return validate.exitValue() == 0 ? null : output;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

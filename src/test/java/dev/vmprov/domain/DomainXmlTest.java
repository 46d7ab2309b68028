package dev.vmprov.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import dev.vmprov.executor.DomainBuilder;
import dev.vmprov.request.Action;
import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.ProvisioningRequest;
import dev.vmprov.request.RecordOrigin;

/**
 * Golden files for each element class and the composed domain; the composed domain is also checked against
 * libvirt's RelaxNG schema and defined on the test driver. VMPROV_UPDATE_GOLDEN=1 rewrites the golden files.
 */
class DomainXmlTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static void assertGolden(String file, DomainElement element) throws IOException {
        String xml = DomainXml.render(element);
        Path path = GOLDEN.resolve(file);
        if ("1".equals(System.getenv("VMPROV_UPDATE_GOLDEN"))) {
            Files.writeString(path, xml);
        }
        assertThat(xml).isEqualTo(Files.readString(path));
    }

    private static ProvisioningRequest request(String name, IsolationTier tier) {
        return new ProvisioningRequest("req-1", Action.CREATE, name, tier, 512, 2, RecordOrigin.local("test"));
    }

    @Test
    void eachElementRendersAsItsGoldenFile() throws IOException {
        assertGolden("memory.xml", new Memory(512));
        assertGolden("vcpu.xml", new Vcpu(2));
        assertGolden("os.xml", new Os("x86_64"));
        assertGolden("metadata.xml", new InstanceMetadata("req-1", "hardened"));
        assertGolden("memballoon.xml", new MemBalloon("none"));
        assertGolden("serial-pty.xml", new PtyConsole());
    }

    @Test
    void theComposedDomainsRenderAsTheirGoldenFiles() throws IOException {
        DomainBuilder builder = new DomainBuilder();
        assertGolden("domain-standard.xml", builder.build(request("web-1", IsolationTier.STANDARD), "kvm"));
        assertGolden("domain-hardened.xml", builder.build(request("web-1", IsolationTier.HARDENED), "kvm"));
    }

    @Test
    void valuesAreEscapedNotConcatenated() {
        String xml = DomainXml.render(new InstanceMetadata("a\"<b>&'c", "standard"));
        assertThat(xml).contains("requestId=\"a&quot;&lt;b&gt;&amp;'c\"");
        assertThat(InstanceMetadata.readFrom("<domain>" + xml + "</domain>")).get()
                .extracting(InstanceMetadata::requestId).isEqualTo("a\"<b>&'c");
    }

    @Test
    void generatedDomainsPassLibvirtsSchemaAndDefineOnTheTestDriver() throws Exception {
        DomainBuilder builder = new DomainBuilder();
        Connect connect = new Connect("test:///default");
        try {
            for (IsolationTier tier : List.of(IsolationTier.STANDARD, IsolationTier.HARDENED)) {
                String xml = DomainXml.render(builder.build(request("schema-" + tier.wireName(), tier), "kvm"));
                Path file = Files.createTempFile("domain-", ".xml");
                Files.writeString(file, xml);
                Process validate = new ProcessBuilder("virt-xml-validate", file.toString(), "domain")
                        .redirectErrorStream(true).start();
                assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String output = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(validate.exitValue()).as("virt-xml-validate: " + output).isZero();

                String testXml = DomainXml.render(builder.build(request("schema-" + tier.wireName(), tier), "test"));
                org.libvirt.Domain defined = connect.domainDefineXML(testXml);
                assertThat(defined.getXMLDesc(0)).contains("vmprov:instance");
                defined.undefine();
            }
        } finally {
            connect.close();
        }
    }
}

package dev.vmprov.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.vmprov.request.IsolationTier;

class VmprovConfigTest {

    private static final Map<String, String> LIBVIRT = Map.of("VM_PROVISIONER_DRIVER", "libvirt");

    private static List<String> problems(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(LIBVIRT);
        all.putAll(env);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> VmprovConfig.fromEnvironment(all));
        assertThat(e).as("expected %s to be rejected", env).isNotNull();
        return e.problems();
    }

    @Test
    void defaultsApplyWhenNothingIsSetButTheDriver() {
        VmprovConfig c = VmprovConfig.fromEnvironment(LIBVIRT);
        assertThat(c.driver()).isEqualTo(Driver.LIBVIRT);
        assertThat(c.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(c.credentials()).isEqualTo(Credentials.NONE);
        assertThat(c.defaultTier()).isEqualTo(IsolationTier.STANDARD);
        assertThat(c.defaultMemoryMiB()).isEqualTo(1024);
        assertThat(c.defaultVcpus()).isEqualTo(1);
        assertThat(c.logTail()).isEqualTo(200);
        assertThat(c.network()).isSameAs(NetworkTemplate.DEFAULT);
        assertThat(c.volume()).isNull();
        assertThat(c.gpuPolicy()).isEqualTo(GpuPolicy.DISABLED);
        assertThat(c.console()).isEqualTo(ConsoleSource.PTY);
        assertThat(c.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.requestsTopic()).isEqualTo("vm.provisioning.requests");
        assertThat(c.statusTopic()).isEqualTo("vm.status");
        assertThat(c.deadLetterTopic()).isEqualTo("vm.provisioning.dlq");
    }

    @Test
    void everyTemplateIsReadIntoTypedValues() {
        VmprovConfig c = VmprovConfig.fromEnvironment(Map.of(
                "VM_PROVISIONER_DRIVER", "libvirt",
                "LIBVIRT_NETWORK_TEMPLATE", "{\"@type\":\"bridge\",\"source\":{\"@bridge\":\"br0\"}}",
                "LIBVIRT_VOLUME_TEMPLATE", "{\"path\":\"/images/{name}.qcow2\",\"driver\":{\"name\":\"qemu\","
                        + "\"type\":\"qcow2\"},\"bus\":\"sata\"}",
                "LIBVIRT_GPU_POLICY", "{\"enabled\":true,\"devices\":[\"0000:65:00.0\",\"0000:B3:00.1\"]}",
                "LIBVIRT_CONSOLE_SOURCE", "{\"type\":\"tcp\",\"host\":\"0.0.0.0\",\"ports\":\"30000-30009\"}",
                "LIBVIRT_LOG_TAIL", "50",
                "LIBVIRT_USERNAME", "ops"));
        assertThat(c.network().template().get("source").get("@bridge").asText()).isEqualTo("br0");
        assertThat(c.volume()).isEqualTo(new VolumeTemplate("/images/{name}.qcow2", "qemu", "qcow2", "sata"));
        assertThat(c.volume().pathFor("web-1")).isEqualTo("/images/web-1.qcow2");
        assertThat(c.gpuPolicy().enabled()).isTrue();
        assertThat(c.gpuPolicy().devices()).extracting(Object::toString).containsExactly("0000:65:00.0",
                "0000:b3:00.1");
        assertThat(c.console()).isEqualTo(new ConsoleSource(ConsoleSource.Type.TCP, "0.0.0.0", 30000, 30009, null,
                ConsoleSource.DEFAULT_LOG_DIRECTORY));
        assertThat(c.logTail()).isEqualTo(50);
        assertThat(c.credentials().username()).isEqualTo("ops");
        assertThat(VmprovConfig.fromEnvironment(Map.of("VM_PROVISIONER_DRIVER", "libvirt",
                "LIBVIRT_NETWORK_TEMPLATE", "none")).network().disabled()).isTrue();
    }

    /** One bad value per variable: the message names the variable, the JSON path, the value and what is expected. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "VM_PROVISIONER_DRIVER          | xen                | VM_PROVISIONER_DRIVER: found 'xen', expected one of libvirt, http",
            "LIBVIRT_CONNECTION_URI         | /var/run/sock      | LIBVIRT_CONNECTION_URI: found '/var/run/sock', expected a libvirt URI",
            "LIBVIRT_PASSWORD_FILE          | /no/such/file      | LIBVIRT_PASSWORD_FILE: found '/no/such/file' (no such file), expected a readable file holding the password",
            "LIBVIRT_DEFAULT_ISOLATION_TIER | paranoid           | LIBVIRT_DEFAULT_ISOLATION_TIER: found 'paranoid', expected one of standard, hardened, confidential",
            "LIBVIRT_DEFAULT_MEMORY_MIB     | lots               | LIBVIRT_DEFAULT_MEMORY_MIB: found 'lots', expected a whole number from 16 to 4194304",
            "LIBVIRT_DEFAULT_VCPU_COUNT     | 0                  | LIBVIRT_DEFAULT_VCPU_COUNT: found '0', expected a whole number from 1 to 512",
            "LIBVIRT_LOG_TAIL               | -5                 | LIBVIRT_LOG_TAIL: found '-5', expected a whole number from 1 to 10000",
            "LIBVIRT_NETWORK_TEMPLATE       | `{\"@type\":`      | LIBVIRT_NETWORK_TEMPLATE: found '{\"@type\":', expected valid JSON",
            "LIBVIRT_NETWORK_TEMPLATE       | `{\"@type\":\"wifi\"}` | LIBVIRT_NETWORK_TEMPLATE $.@type: found '\"wifi\"', expected one of network, bridge",
            "LIBVIRT_NETWORK_TEMPLATE       | `{\"mac\":{\"@address\":\"00:11:22:33:44:55\"}}` | LIBVIRT_NETWORK_TEMPLATE $.mac: found",
            "LIBVIRT_NETWORK_TEMPLATE       | `{\"source\":{\"bad name\":1}}` | LIBVIRT_NETWORK_TEMPLATE $.source.bad name: found an element name 'bad name', expected an XML name",
            "LIBVIRT_NETWORK_TEMPLATE       | `{\"source\":{\"@bridge\":{\"x\":1}}}` | LIBVIRT_NETWORK_TEMPLATE $.source.@bridge: found '{\"x\":1}', expected a string, number or boolean",
            "LIBVIRT_NETWORK_TEMPLATE       | `[1]`              | LIBVIRT_NETWORK_TEMPLATE $: found '[1]', expected an object describing <interface>",
            "LIBVIRT_VOLUME_TEMPLATE        | `{\"path\":\"images/{name}\"}` | LIBVIRT_VOLUME_TEMPLATE $.path: found 'images/{name}', expected an absolute path",
            "LIBVIRT_VOLUME_TEMPLATE        | `{\"path\":\"/images/boot.img\"}` | LIBVIRT_VOLUME_TEMPLATE $.path: found '/images/boot.img', expected a path containing {name}",
            "LIBVIRT_VOLUME_TEMPLATE        | `{\"path\":\"/i/{name}\",\"driver\":{\"type\":\"qcow3\"}}` | LIBVIRT_VOLUME_TEMPLATE $.driver.type: found '\"qcow3\"', expected one of raw, qcow2",
            "LIBVIRT_VOLUME_TEMPLATE        | `{\"path\":\"/i/{name}\",\"bus\":\"pci\"}` | LIBVIRT_VOLUME_TEMPLATE $.bus: found '\"pci\"', expected one of virtio, sata, scsi, ide, usb",
            "LIBVIRT_VOLUME_TEMPLATE        | `{\"path\":\"/i/{name}\",\"size\":10}` | LIBVIRT_VOLUME_TEMPLATE $.size: found an unknown key, expected only bus, driver, path",
            "LIBVIRT_VOLUME_TEMPLATE        | `{\"bus\":\"virtio\"}` | LIBVIRT_VOLUME_TEMPLATE $.path: found nothing, expected an absolute path containing {name}",
            "LIBVIRT_GPU_POLICY             | `{\"enabled\":\"yes\",\"devices\":[]}` | LIBVIRT_GPU_POLICY $.enabled: found '\"yes\"', expected true or false",
            "LIBVIRT_GPU_POLICY             | `{\"enabled\":true,\"devices\":[\"65:00.0\"]}` | LIBVIRT_GPU_POLICY $.devices[0]: found '\"65:00.0\"', expected a PCI address",
            "LIBVIRT_GPU_POLICY             | `{\"enabled\":true,\"devices\":[]}` | LIBVIRT_GPU_POLICY $.devices: found an empty list, expected at least one device when enabled is true",
            "LIBVIRT_GPU_POLICY             | `{\"enabled\":true,\"devices\":[\"0000:65:00.0\",\"0000:65:00.0\"]}` | LIBVIRT_GPU_POLICY $.devices[1]: found '\"0000:65:00.0\"', expected each device listed once",
            "LIBVIRT_CONSOLE_SOURCE         | serial             | LIBVIRT_CONSOLE_SOURCE: found 'serial', expected one of pty, tcp, unix, file",
            "LIBVIRT_CONSOLE_SOURCE         | `{\"type\":\"tcp\",\"ports\":\"80-90\"}` | LIBVIRT_CONSOLE_SOURCE $.ports: found '\"80-90\"', expected a port range",
            "LIBVIRT_CONSOLE_SOURCE         | `{\"type\":\"unix\",\"directory\":\"run\"}` | LIBVIRT_CONSOLE_SOURCE $.directory: found '\"run\"', expected an absolute directory path",
            "LIBVIRT_CONSOLE_SOURCE         | `{\"type\":\"pty\",\"host\":\"x\"}` | LIBVIRT_CONSOLE_SOURCE $.host: found an unknown key for type pty",
            "VMPROV_STOP_TIMEOUT_SECONDS    | forever            | VMPROV_STOP_TIMEOUT_SECONDS: found 'forever', expected a whole number from 0 to 3600",
            "VMPROV_STATUS_TOPIC            | bad topic          | VMPROV_STATUS_TOPIC: found 'bad topic', expected a Kafka topic name",
            "VMPROV_CONSUMERS               | 1000               | VMPROV_CONSUMERS: found '1000', expected a whole number from 1 to 64",
            "VMPROV_HYPERVISOR_API_URL      | ftp://hv           | VMPROV_HYPERVISOR_API_URL: found 'ftp://hv', expected an http:// or https:// base URL",
            "VMPROV_HYPERVISOR_API_TIMEOUT_SECONDS | 0         | VMPROV_HYPERVISOR_API_TIMEOUT_SECONDS: found '0', expected a whole number from 1 to 600",
            "VMPROV_HYPERVISOR_API_RETRIES  | -1                 | VMPROV_HYPERVISOR_API_RETRIES: found '-1', expected a whole number from 0 to 20",
            "VMPROV_HTTP_PORT               | 99999              | VMPROV_HTTP_PORT: found '99999', expected a whole number from 1 to 65535",
            "VMPROV_DOMAIN_TYPE             | xen                | VMPROV_DOMAIN_TYPE: found 'xen', expected one of auto, kvm, qemu",
            "VMPROV_STORE_URL               | jdbc:mysql://x     | VMPROV_STORE_URL: found 'jdbc:mysql://x', expected a JDBC URL for H2",
    })
    void eachVariableIsValidated(String variable, String value, String expected) {
        assertThat(problems(Map.of(variable, value))).anySatisfy(p -> assertThat(p).startsWith(expected));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = problems(Map.of(
                "LIBVIRT_DEFAULT_ISOLATION_TIER", "paranoid",
                "LIBVIRT_DEFAULT_MEMORY_MIB", "lots",
                "LIBVIRT_VOLUME_TEMPLATE", "{\"path\":\"rel\",\"bus\":\"pci\"}",
                "LIBVIRT_GPU_POLICY", "{\"enabled\":1}",
                "LIBVIRT_CONSOLE_SOURCE", "serial"));
        assertThat(problems).hasSizeGreaterThanOrEqualTo(7);
        assertThat(String.join("\n", problems)).contains("LIBVIRT_DEFAULT_ISOLATION_TIER")
                .contains("LIBVIRT_DEFAULT_MEMORY_MIB").contains("LIBVIRT_VOLUME_TEMPLATE $.path")
                .contains("LIBVIRT_VOLUME_TEMPLATE $.bus").contains("LIBVIRT_GPU_POLICY $.enabled")
                .contains("LIBVIRT_CONSOLE_SOURCE");
    }

    @Test
    void thePasswordNeverAppearsInMessagesOrToString() throws Exception {
        Path file = Files.createTempFile("pw", ".txt");
        Files.writeString(file, "file-secret-123");
        VmprovConfig c = VmprovConfig.fromEnvironment(Map.of("VM_PROVISIONER_DRIVER", "libvirt",
                "LIBVIRT_USERNAME", "ops", "LIBVIRT_PASSWORD", "env-secret-456",
                "LIBVIRT_PASSWORD_FILE", file.toString()));
        assertThat(c.toString()).doesNotContain("env-secret-456").doesNotContain("file-secret-123")
                .contains("password=file");
        assertThat(c.credentials().passwordSource()).isEqualTo("file");
        assertThat(new String(c.credentials().password().reveal())).isEqualTo("env-secret-456");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> VmprovConfig.fromEnvironment(Map.of(
                "VM_PROVISIONER_DRIVER", "libvirt", "LIBVIRT_PASSWORD", "env-secret-456",
                "LIBVIRT_DEFAULT_MEMORY_MIB", "x")));
        assertThat(e.getMessage()).doesNotContain("env-secret-456");
    }

    @Test
    void theHttpDriverNeedsTheHypervisorApiUrl() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> VmprovConfig.fromEnvironment(Map.of()));
        assertThat(e.problems()).singleElement().asString().isEqualTo("VMPROV_HYPERVISOR_API_URL: found nothing,"
                + " expected the legacy hypervisor API's base URL (like https://hypervisor.internal:8443/v1), since"
                + " VM_PROVISIONER_DRIVER is 'http' (its default); or set VM_PROVISIONER_DRIVER=libvirt");
        VmprovConfig http = VmprovConfig.fromEnvironment(Map.of("VMPROV_HYPERVISOR_API_URL", "https://hv:8443/v1",
                "VMPROV_HYPERVISOR_API_TOKEN", "hv-secret-99"));
        assertThat(http.driver()).isEqualTo(Driver.HTTP);
        assertThat(http.hypervisorApi().url()).isEqualTo("https://hv:8443/v1");
        assertThat(http.hypervisorApi().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.hypervisorApi().retries()).isEqualTo(5);
        assertThat(http.toString()).doesNotContain("hv-secret-99");
    }

    @Test
    void theRequestsTopicMustDifferFromTheOutputTopics() {
        assertThat(problems(Map.of("VMPROV_REQUESTS_TOPIC", "vm.status"))).singleElement().asString()
                .contains("would consume its own output");
    }
}

package dev.vmprov.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vmprov.request.IsolationTier;

class VmprovConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSetButTheDriver() {
        VmprovConfig c = VmprovConfig.fromEnvironment(Map.of("VM_PROVISIONER_DRIVER", "libvirt"));
        assertThat(c.driver()).isEqualTo(Driver.LIBVIRT);
        assertThat(c.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(c.defaultTier()).isEqualTo(IsolationTier.STANDARD);
        assertThat(c.defaultMemoryMiB()).isEqualTo(1024);
        assertThat(c.defaultVcpus()).isEqualTo(1);
        assertThat(c.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.requestsTopic()).isEqualTo("vm.provisioning.requests");
        assertThat(c.statusTopic()).isEqualTo("vm.status");
        assertThat(c.deadLetterTopic()).isEqualTo("vm.provisioning.dlq");
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheVariableTheValueAndWhatIsExpected() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> VmprovConfig.fromEnvironment(Map.of(
                "VM_PROVISIONER_DRIVER", "xen",
                "LIBVIRT_DEFAULT_ISOLATION_TIER", "paranoid",
                "LIBVIRT_DEFAULT_MEMORY_MIB", "lots",
                "LIBVIRT_DEFAULT_VCPU_COUNT", "0",
                "VMPROV_STATUS_TOPIC", "bad topic")));
        assertThat(e.problems()).containsExactly(
                "VM_PROVISIONER_DRIVER: found 'xen', expected one of libvirt, http",
                "LIBVIRT_DEFAULT_ISOLATION_TIER: found 'paranoid', expected one of standard, hardened, confidential",
                "LIBVIRT_DEFAULT_MEMORY_MIB: found 'lots', expected a whole number from 16 to 4194304",
                "LIBVIRT_DEFAULT_VCPU_COUNT: found '0', expected a whole number from 1 to 512",
                "VMPROV_STATUS_TOPIC: found 'bad topic', expected a Kafka topic name (1-249 of letters, digits, '.',"
                        + " '_' or '-')");
    }

    @Test
    void theHttpDriverIsRefusedUntilItExists() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> VmprovConfig.fromEnvironment(Map.of()));
        assertThat(e.getMessage()).contains("VM_PROVISIONER_DRIVER: found 'http' (the default)")
                .contains("set VM_PROVISIONER_DRIVER=libvirt");
    }

    @Test
    void theRequestsTopicMustDifferFromTheOutputTopics() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> VmprovConfig.fromEnvironment(Map.of(
                "VM_PROVISIONER_DRIVER", "libvirt", "VMPROV_REQUESTS_TOPIC", "vm.status")));
        assertThat(e.problems()).singleElement().asString().contains("would consume its own output");
    }
}

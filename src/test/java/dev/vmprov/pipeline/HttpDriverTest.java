package dev.vmprov.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.support.LegacyHypervisorServer;
import dev.vmprov.support.PipelineHarness;

/**
 * VM_PROVISIONER_DRIVER=http end to end through Kafka, against a real HTTP server implementing the legacy
 * hypervisor API contract (the legacy hypervisor itself does not exist here), with slow answers, 5xx and an
 * outage.
 */
class HttpDriverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static LegacyHypervisorServer hypervisor;
    private static PipelineHarness harness;

    @BeforeAll
    static void start() throws Exception {
        hypervisor = new LegacyHypervisorServer("legacy-token-7");
        harness = new PipelineHarness(Map.of(
                "VM_PROVISIONER_DRIVER", "http",
                "VMPROV_HYPERVISOR_API_URL", hypervisor.url(),
                "VMPROV_HYPERVISOR_API_TOKEN", "legacy-token-7",
                "VMPROV_HYPERVISOR_API_TIMEOUT_SECONDS", "1",
                "VMPROV_HYPERVISOR_API_RETRIES", "3",
                "LIBVIRT_DEFAULT_MEMORY_MIB", "640",
                "LIBVIRT_DEFAULT_ISOLATION_TIER", "hardened")).start();
    }

    @AfterAll
    static void stop() {
        harness.close();
        hypervisor.close();
    }

    private static String vm(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void everyActionGoesThroughTheLegacyApiWithTheSameEventsAndRows() throws Exception {
        String name = vm("legacy");
        String create = harness.request("create", name, "\"resources\":{\"vcpus\":3}");
        String reboot = harness.request("reboot", name, null);
        String stop = harness.request("stop", name, null);
        String start = harness.request("start", name, null);
        List<JsonNode> terminal = harness.awaitTerminal(WAIT, create, reboot, stop, start);
        assertThat(terminal).extracting(e -> e.get("state").asText())
                .containsExactly("running", "running", "stopped", "running");
        assertThat(harness.events(create)).extracting(e -> e.get("state").asText())
                .containsExactly("accepted", "defined", "running");
        JsonNode running = terminal.get(0);
        assertThat(running.get("driver").asText()).isEqualTo("http");
        assertThat(running.get("memoryMiB").asInt()).as("the default").isEqualTo(640);
        assertThat(running.get("vcpus").asInt()).isEqualTo(3);
        assertThat(running.get("isolationTier").asText()).isEqualTo("hardened");
        assertThat(running.get("uuid").asText()).isEqualTo(hypervisor.vm(name).get("uuid").asText());
        assertThat(hypervisor.vm(name).get("memoryMiB").asInt()).isEqualTo(640);
        assertThat(hypervisor.idempotencyKeys).contains(create, reboot, stop, start);

        var row = harness.pipeline().instances().find(name).orElseThrow();
        assertThat(row.driver()).isEqualTo("http");
        assertThat(row.state()).isEqualTo("running");
        assertThat(row.lastRequestId()).isEqualTo(start);
        assertThat(row.connectionUri()).isEqualTo(hypervisor.url());
        assertThat(row.credentials().passwordSupplied()).as("the API token").isTrue();
        assertThat(row.credentials().toString()).doesNotContain("legacy-token-7");

        assertThat(harness.pipeline().consoleTail().tail(name, 5).orElseThrow().lines())
                .containsExactly("legacy console of " + name);

        String delete = harness.request("delete", name, null);
        assertThat(harness.awaitTerminal(WAIT, delete).get(0).get("state").asText()).isEqualTo("deleted");
        assertThat(hypervisor.vm(name)).isNull();
    }

    @Test
    void aClientErrorIsAFailedStatusWithTheApisMessage() {
        String name = vm("refused");
        String create = harness.request("create", name, null);
        String again = harness.request("create", name, null);
        String huge = harness.request("create", vm("huge"), "\"resources\":{\"memoryMiB\":100000}");
        String unknown = harness.request("start", vm("unknown"), null);
        String stop = harness.request("stop", name, null);
        String rebootStopped = harness.request("reboot", name, null);
        List<JsonNode> terminal = harness.awaitTerminal(WAIT, create, again, huge, unknown, stop, rebootStopped);
        assertThat(terminal).extracting(e -> e.get("state").asText())
                .containsExactly("running", "failed", "failed", "failed", "stopped", "failed");
        assertThat(terminal.get(1).get("reason").asText())
                .isEqualTo("hypervisor API: a VM named '" + name + "' already exists (HTTP 409 on PUT /vms/" + name + ")");
        assertThat(terminal.get(2).get("reason").asText()).contains("not enough memory").contains("HTTP 422");
        assertThat(terminal.get(3).get("reason").asText()).contains("no VM named").contains("HTTP 404");
        assertThat(terminal.get(5).get("reason").asText()).contains("cannot reboot: the VM is not running");
    }

    @Test
    void transientFailuresAndSlowAnswersAreRetried() {
        hypervisor.failNext(2);
        String name = vm("flaky");
        String create = harness.request("create", name, null);
        assertThat(harness.awaitTerminal(WAIT, create).get(0).get("state").asText()).isEqualTo("running");
        hypervisor.delayNext(2500); // beyond the 1 s timeout: retried
        String stop = harness.request("stop", name, null);
        assertThat(harness.awaitTerminal(WAIT, stop).get(0).get("state").asText()).isEqualTo("stopped");
        assertThat(harness.pipeline().camelContext() != null).isTrue();
        assertThat(scrape()).containsPattern("vmprov_driver_retries_total [3-9]");
    }

    @Test
    void noRequestIsLostWhileTheApiIsDown() throws Exception {
        String name = vm("outage");
        hypervisor.stop();
        String create = harness.request("create", name, null);
        harness.statusReader().awaitRecords(records -> records.stream().anyMatch(r -> r.value().contains(create)
                && r.value().contains("\"state\":\"retrying\"")), WAIT, "a retrying event while the API is down");
        JsonNode retrying = harness.events(create).stream()
                .filter(e -> e.get("state").asText().equals("retrying")).findFirst().orElseThrow();
        assertThat(retrying.get("reason").asText()).contains("the hypervisor API is unavailable")
                .contains("cannot reach").contains("stays on the topic");
        assertThat(harness.events(create)).noneMatch(e -> e.get("state").asText().equals("failed"));
        hypervisor.start();
        JsonNode outcome = harness.awaitTerminal(WAIT, create).get(0);
        assertThat(outcome.get("state").asText()).isEqualTo("running");
        assertThat(hypervisor.vm(name)).isNotNull();
        assertThat(harness.events(create).stream().filter(PipelineHarness::isTerminal).count()).isEqualTo(1);
    }

    private static String scrape() {
        return harness.pipeline().camelContext().getRegistry().lookupByNameAndType("metrics", PipelineMetrics.class)
                .scrape();
    }
}

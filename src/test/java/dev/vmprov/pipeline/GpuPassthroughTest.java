package dev.vmprov.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.support.PipelineHarness;

/**
 * GPU passthrough end to end: concurrent creates through Kafka on three consumer threads, against the test
 * driver. The three GPUs are FAKE PCI addresses (no GPU exists here); the test driver defines hostdevs without
 * touching hardware, and vmprov's bookkeeping is what is under test. Consoles are TCP, so ports are allocated
 * under the same concurrency.
 */
class GpuPassthroughTest {

    private static final List<String> GPUS = List.of("0000:65:00.0", "0000:66:00.0", "0000:b3:00.0");
    private static PipelineHarness harness;
    private static Connect libvirt;

    @BeforeAll
    static void start() throws Exception {
        harness = new PipelineHarness(Map.of(
                "LIBVIRT_GPU_POLICY", "{\"enabled\":true,\"devices\":[\"" + String.join("\",\"", GPUS) + "\"]}",
                "LIBVIRT_CONSOLE_SOURCE", "{\"type\":\"tcp\",\"ports\":\"31000-31999\"}")).start();
        libvirt = new Connect("test:///default");
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
        libvirt.close();
    }

    @Test
    void concurrentRequestsNeverShareAGpuAndFreedGpusAreHandedOutAgain() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String name = "gpu-" + tag + "-" + i;
            names.add(name);
            ids.add(harness.request("create", name, "\"resources\":{\"gpus\":1}"));
        }
        List<JsonNode> terminal = harness.awaitTerminal(Duration.ofSeconds(60), ids.toArray(String[]::new));
        List<JsonNode> running = terminal.stream().filter(e -> e.get("state").asText().equals("running")).toList();
        List<JsonNode> failed = terminal.stream().filter(e -> e.get("state").asText().equals("failed")).toList();
        assertThat(running).hasSize(3);
        assertThat(running).flatExtracting(e -> List.of(e.get("gpus").get(0).asText()))
                .containsExactlyInAnyOrderElementsOf(GPUS);
        assertThat(failed).hasSize(6).allSatisfy(e -> assertThat(e.get("reason").asText())
                .contains("asks for 1 GPU(s) but only 0 of 3 are free").contains("nothing was defined"));

        // libvirt agrees: each device is in exactly one domain's definition, with a distinct console port
        List<String> hostdevs = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (JsonNode e : running) {
            Domain d = libvirt.domainLookupByName(e.get("name").asText());
            String xml = d.getXMLDesc(0);
            hostdevs.add(xml.replaceAll("(?s).*<hostdev.*?bus='(0x[0-9a-f]+)'.*", "$1"));
            ports.add(xml.replaceAll("(?s).*<serial type='tcp'>.*?service='(\\d+)'.*", "$1"));
        }
        assertThat(hostdevs).doesNotHaveDuplicates().hasSize(3);
        assertThat(ports).doesNotHaveDuplicates().allSatisfy(p -> assertThat(Integer.parseInt(p)).isBetween(31000, 31999));

        String freed = running.get(0).get("gpus").get(0).asText();
        String delete = harness.request("delete", running.get(0).get("name").asText(), null);
        harness.awaitTerminal(Duration.ofSeconds(60), delete); // another key, another partition: wait for it
        String again = harness.request("create", "gpu-" + tag + "-again", "\"resources\":{\"gpus\":1}");
        List<JsonNode> after = harness.awaitTerminal(Duration.ofSeconds(60), delete, again);
        assertThat(after.get(1).get("state").asText()).isEqualTo("running");
        assertThat(after.get(1).get("gpus").get(0).asText()).isEqualTo(freed);

        for (JsonNode e : running.subList(1, running.size())) {
            harness.request("delete", e.get("name").asText(), null);
        }
        harness.awaitTerminal(Duration.ofSeconds(60), harness.request("delete", "gpu-" + tag + "-again", null));
    }

    @Test
    void moreGpusThanTheHostHasFailsWithAReason() {
        String id = harness.request("create", "gpu-greedy-" + UUID.randomUUID().toString().substring(0, 6),
                "\"resources\":{\"gpus\":4}");
        JsonNode e = harness.awaitTerminal(Duration.ofSeconds(60), id).get(0);
        assertThat(e.get("state").asText()).isEqualTo("failed");
        assertThat(e.get("reason").asText()).contains("asks for 4 GPU(s) but only").contains("of 3 are free");
    }
}

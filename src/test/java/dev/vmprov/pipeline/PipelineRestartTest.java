package dev.vmprov.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.support.PipelineHarness;

/** Stopping the service in the middle of a stream and starting it again loses no request and repeats none. */
class PipelineRestartTest {

    @Test
    void aRestartMidStreamLosesNothingAndExecutesNothingTwice() throws Exception {
        // Keeps the test driver's state alive while the pipeline's own connection is closed and reopened.
        Connect keepAlive = new Connect("test:///default");
        try (PipelineHarness harness = new PipelineHarness(Map.of())) {
            String tag = UUID.randomUUID().toString().substring(0, 6);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String name = "restart-" + tag + "-" + i;
                ids.add(harness.request("create", name, null));
                ids.add(harness.request("delete", name, null));
            }
            harness.start();
            harness.statusReader().awaitRecords(records -> records.stream()
                    .map(r -> r.value()).filter(v -> v.contains("\"state\":\"deleted\"")).count() >= 5,
                    Duration.ofSeconds(60), "a few requests handled before the restart");
            harness.stopPipeline();
            long handledBeforeRestart = harness.statusReader().json().stream()
                    .filter(PipelineHarness::isTerminal).count();
            harness.start();

            harness.awaitTerminal(Duration.ofSeconds(90), ids.toArray(String[]::new));
            List<JsonNode> terminal = harness.statusReader().drain(Duration.ofSeconds(2)).stream()
                    .map(r -> dev.vmprov.support.TopicReader.parse(r.value()))
                    .filter(PipelineHarness::isTerminal).toList();
            Map<String, Long> perRequest = terminal.stream()
                    .collect(Collectors.groupingBy(e -> e.get("requestId").asText(), Collectors.counting()));
            assertThat(perRequest).as("one outcome per request").hasSize(ids.size()).allSatisfy((id, n) ->
                    assertThat(n).as(id).isEqualTo(1));
            assertThat(terminal).extracting(e -> e.get("state").asText()).containsOnly("running", "deleted");
            assertThat(handledBeforeRestart).as("the restart happened mid-stream").isLessThan(ids.size());
        } finally {
            keepAlive.close();
        }
    }
}

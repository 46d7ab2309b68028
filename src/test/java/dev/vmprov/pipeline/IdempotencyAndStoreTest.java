package dev.vmprov.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.store.VmInstance;
import dev.vmprov.support.PipelineHarness;
import dev.vmprov.support.TestDatabases;
import dev.vmprov.support.TestKafka;
import dev.vmprov.support.TopicReader;

/**
 * Request ids on the PostgreSQL store: a request sent twice, and a whole topic redelivered after a restart
 * (the consumer group rewound to the beginning), execute nothing twice; the store follows the transitions.
 */
class IdempotencyAndStoreTest {

    @Test
    void executedRequestsAreNotExecutedAgainAfterARepeatOrARedeliveryAndTheStoreFollows() throws Exception {
        Connect keepAlive = new Connect("test:///default"); // keeps the test driver's state across the restart
        try (PipelineHarness harness = new PipelineHarness(Map.of("VMPROV_STORE_URL", TestDatabases.postgres()))) {
            harness.start();
            String tag = UUID.randomUUID().toString().substring(0, 6);
            String name = "idem-" + tag;
            String createJson = "{\"requestId\":\"create-" + tag + "\",\"action\":\"create\",\"name\":\"" + name
                    + "\",\"resources\":{\"memoryMiB\":640}}";
            harness.send(name, createJson);
            harness.awaitTerminal(Duration.ofSeconds(60), "create-" + tag);
            harness.send(name, createJson); // the same request again
            String stop = harness.request("stop", name, null);
            harness.awaitTerminal(Duration.ofSeconds(60), stop);

            List<JsonNode> createEvents = harness.events("create-" + tag);
            assertThat(createEvents).extracting(e -> e.get("state").asText())
                    .containsExactly("accepted", "defined", "running", "duplicate");
            assertThat(createEvents.get(3).get("detail").asText()).contains("was already executed");

            VmInstance row = harness.pipeline().instances().find(name).orElseThrow();
            assertThat(row.state()).isEqualTo("stopped");
            assertThat(row.lastRequestId()).isEqualTo(stop);
            assertThat(row.memoryMiB()).isEqualTo(640);
            assertThat(row.uuid()).isEqualTo(createEvents.get(2).get("uuid").asText());
            assertThat(row.credentials().passwordSupplied()).isFalse();

            // Redelivery: stop, rewind the consumer group to the beginning, start again on the same store.
            harness.stopPipeline();
            try (Admin admin = TestKafka.admin()) {
                Map<TopicPartition, OffsetAndMetadata> rewind = admin.describeTopics(List.of(harness.requests))
                        .allTopicNames().get().get(harness.requests).partitions().stream()
                        .collect(Collectors.toMap(p -> new TopicPartition(harness.requests, p.partition()),
                                p -> new OffsetAndMetadata(0)));
                admin.alterConsumerGroupOffsets(harness.group, rewind).all().get();
            }
            harness.start();
            List<String> ids = List.of("create-" + tag, stop);
            harness.statusReader().awaitRecords(records -> records.stream()
                    .map(r -> TopicReader.parse(r.value()))
                    .filter(e -> e.get("state").asText().equals("duplicate")).count() >= 4,
                    Duration.ofSeconds(60), "duplicates for the redelivered requests");
            List<JsonNode> all = harness.statusReader().drain(Duration.ofSeconds(2)).stream()
                    .map(r -> TopicReader.parse(r.value())).filter(e -> ids.contains(e.get("requestId").asText()))
                    .toList();
            for (String id : ids) {
                List<String> states = new ArrayList<>();
                all.stream().filter(e -> e.get("requestId").asText().equals(id))
                        .forEach(e -> states.add(e.get("state").asText()));
                assertThat(states.stream().filter(s -> s.equals("accepted")).count())
                        .as("%s executed once: %s", id, states).isEqualTo(1);
            }
            assertThat(keepAlive.domainLookupByName(name).isActive()).as("the redelivered create did not start it")
                    .isZero();
            assertThat(harness.pipeline().instances().find(name).orElseThrow().state()).isEqualTo("stopped");
        } finally {
            keepAlive.close();
        }
    }
}

package dev.vmprov.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.support.PipelineHarness;
import dev.vmprov.support.TestKafka;
import dev.vmprov.support.TopicReader;

/**
 * End to end on a real broker and libvirt's test driver: a plain producer publishes requests, plain consumers
 * read vm.status and the dead-letter topic. Defaults are set to values no request uses, so they are visible.
 */
class ProvisioningPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static PipelineHarness harness;
    /** Our own connection to the test driver: its state is shared by every connection in this process. */
    private static Connect libvirt;

    @BeforeAll
    static void startPipeline() throws Exception {
        harness = new PipelineHarness(Map.of(
                "LIBVIRT_DEFAULT_ISOLATION_TIER", "hardened",
                "LIBVIRT_DEFAULT_MEMORY_MIB", "768",
                "LIBVIRT_DEFAULT_VCPU_COUNT", "3")).start();
        libvirt = new Connect("test:///default");
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        harness.close();
        libvirt.close();
    }

    private static String vm(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everyActionReachesItsStateInOrder() throws Exception {
        String name = vm("lifecycle");
        String create = harness.request("create", name,
                "\"policy\":{\"isolationTier\":\"standard\"},\"resources\":{\"memoryMiB\":512,\"vcpus\":2}");
        String reboot = harness.request("reboot", name, null);
        String stop = harness.request("stop", name, null);
        String stopAgain = harness.request("stop", name, null);
        String start = harness.request("start", name, null);
        String delete = harness.request("delete", name, null);

        List<JsonNode> terminal = harness.awaitTerminal(WAIT, create, reboot, stop, stopAgain, start, delete);
        assertThat(terminal).extracting(e -> e.get("state").asText())
                .containsExactly("running", "running", "stopped", "stopped", "running", "deleted");
        assertThat(terminal.get(3).get("detail").asText()).isEqualTo("already stopped");
        assertThat(terminal.get(5).get("detail").asText()).isEqualTo("destroyed and undefined");

        assertThat(harness.events(create)).extracting(e -> e.get("state").asText())
                .containsExactly("accepted", "defined", "running");
        for (String id : List.of(reboot, stop, start, delete)) {
            assertThat(harness.events(id)).extracting(e -> e.get("state").asText()).first().isEqualTo("accepted");
        }
        JsonNode running = terminal.get(0);
        assertThat(running.get("name").asText()).isEqualTo(name);
        assertThat(running.get("driver").asText()).isEqualTo("libvirt");
        assertThat(running.get("isolationTier").asText()).isEqualTo("standard");
        assertThat(running.get("memoryMiB").asInt()).isEqualTo(512);
        assertThat(running.get("vcpus").asInt()).isEqualTo(2);
        assertThat(running.get("uuid").asText()).matches("[0-9a-f-]{36}");
        assertThat(running.get("timestamp").asText()).endsWith("Z");
        // the stop and start events report the domain's own settings, read back from libvirt
        assertThat(terminal.get(2).get("memoryMiB").asInt()).isEqualTo(512);
        assertThat(terminal.get(2).get("isolationTier").asText()).isEqualTo("standard");

        // every status event is keyed by the VM name
        assertThat(harness.statusReader().awaitRecords(r -> true, WAIT, "status"))
                .filteredOn(r -> r.value().contains(name)).extracting(ConsumerRecord::key).containsOnly(name);
        assertThat(libvirt.listDefinedDomains()).doesNotContain(name);
    }

    @Test
    void defaultsFillWhatTheRequestLeavesOutAndReachLibvirt() throws Exception {
        String name = vm("defaults");
        String create = harness.request("create", name, null);
        String partial = vm("partial");
        String createPartial = harness.request("create", partial, "\"resources\":{\"vcpus\":1}");

        List<JsonNode> terminal = harness.awaitTerminal(WAIT, create, createPartial);
        assertThat(terminal.get(0).get("state").asText()).isEqualTo("running");
        assertThat(terminal.get(0).get("isolationTier").asText()).isEqualTo("hardened");
        assertThat(terminal.get(0).get("memoryMiB").asInt()).isEqualTo(768);
        assertThat(terminal.get(0).get("vcpus").asInt()).isEqualTo(3);
        assertThat(harness.events(create).get(0).get("memoryMiB").asInt())
                .as("the accepted event already shows the applied values").isEqualTo(768);
        assertThat(terminal.get(1).get("memoryMiB").asInt()).isEqualTo(768);
        assertThat(terminal.get(1).get("vcpus").asInt()).isEqualTo(1);

        Domain domain = libvirt.domainLookupByName(name);
        assertThat(domain.getInfo().maxMem).isEqualTo(768L * 1024);
        assertThat(domain.getInfo().nrVirtCpu).isEqualTo(3);
        assertThat(domain.getXMLDesc(0)).contains("isolationTier=\"hardened\"").contains("<memballoon model='none'/>");
        domain.destroy();
        domain.undefine();
        Domain other = libvirt.domainLookupByName(partial);
        other.destroy();
        other.undefine();
    }

    @Test
    void libvirtErrorsAreFailedStatusesWithAReasonNotDeadLetters() {
        String name = vm("failing");
        String startMissing = harness.request("start", name, null);
        String create = harness.request("create", name, null);
        String stop = harness.request("stop", name, null);
        String rebootStopped = harness.request("reboot", name, null);
        String createAgain = harness.request("create", name, null);
        String confidential = harness.request("create", vm("sev"), "\"policy\":{\"isolationTier\":\"confidential\"}");
        String gpus = harness.request("create", vm("gpu"), "\"resources\":{\"gpus\":2}");
        String delete = harness.request("delete", name, null);
        String deleteMissing = harness.request("delete", name, null);

        List<JsonNode> terminal = harness.awaitTerminal(WAIT, startMissing, create, stop, rebootStopped,
                createAgain, confidential, delete, deleteMissing, gpus);
        assertThat(terminal).extracting(e -> e.get("state").asText()).containsExactly(
                "failed", "running", "stopped", "failed", "failed", "failed", "deleted", "failed", "failed");
        assertThat(terminal.get(0).get("reason").asText()).contains("no domain named '" + name + "'")
                .contains("send create first");
        assertThat(terminal.get(3).get("reason").asText()).startsWith("libvirt: ")
                .contains("domain is not running");
        assertThat(terminal.get(4).get("reason").asText()).contains("already exists")
                .contains("created by request " + create);
        assertThat(terminal.get(5).get("reason").asText())
                .startsWith("isolation tier 'confidential' needs AMD SEV, which this host does not offer")
                .contains("virConnectGetDomainCapabilities").endsWith("nothing was defined");
        assertThat(terminal.get(8).get("reason").asText()).contains("GPU passthrough is disabled");
        assertThat(terminal.get(7).get("reason").asText()).contains("no domain named");
        assertThat(harness.dlqReader().drain(Duration.ofSeconds(1))).noneMatch(r -> r.value().contains(name));
    }

    @Test
    void everyKindOfBadInputGoesToTheDeadLetterTopicOnceAndValidRequestsAroundItComplete() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("not JSON", ("{not json " + tag).getBytes(StandardCharsets.UTF_8));
        bad.put("not an object", ("[\"" + tag + "\"]").getBytes(StandardCharsets.UTF_8));
        bad.put("wrong types", ("{\"requestId\":\"" + tag + "-t\",\"action\":\"create\",\"name\":\"t-" + tag
                + "\",\"resources\":{\"memoryMiB\":\"lots\",\"vcpus\":1.5}}").getBytes(StandardCharsets.UTF_8));
        bad.put("missing fields", ("{\"requestId\":\"" + tag + "-m\"}").getBytes(StandardCharsets.UTF_8));
        bad.put("unknown action", ("{\"requestId\":\"" + tag + "-a\",\"action\":\"explode\",\"name\":\"a-" + tag
                + "\"}").getBytes(StandardCharsets.UTF_8));
        bad.put("out-of-range sizing", ("{\"requestId\":\"" + tag + "-r\",\"action\":\"create\",\"name\":\"r-" + tag
                + "\",\"resources\":{\"memoryMiB\":1,\"vcpus\":100000}}").getBytes(StandardCharsets.UTF_8));
        bad.put("invalid name", ("{\"requestId\":\"" + tag + "-n\",\"action\":\"create\",\"name\":\"../etc/"
                + tag + "\"}").getBytes(StandardCharsets.UTF_8));
        bad.put("unknown field", ("{\"requestId\":\"" + tag + "-u\",\"action\":\"create\",\"name\":\"u-" + tag
                + "\",\"resource\":{}}").getBytes(StandardCharsets.UTF_8));
        byte[] notUtf8 = ("{\"requestId\":\"" + tag + "-x\"}").getBytes(StandardCharsets.UTF_8);
        byte[] withInvalidByte = new byte[notUtf8.length + 1];
        System.arraycopy(notUtf8, 0, withInvalidByte, 1, notUtf8.length);
        withInvalidByte[0] = (byte) 0xC3;
        bad.put("invalid UTF-8", withInvalidByte);

        List<String> valid = new ArrayList<>();
        List<String> validNames = new ArrayList<>();
        Map<String, RecordMetadata> sentBad = new HashMap<>();
        String lastValid = null;
        for (Map.Entry<String, byte[]> entry : bad.entrySet()) {
            String name = vm("mixed");
            validNames.add(name);
            valid.add(harness.request("create", name, null));
            sentBad.put(entry.getKey(), harness.send("bad-" + tag, entry.getValue()));
        }
        String mismatched = vm("keyed");
        sentBad.put("key does not match name", harness.send("someone-else-" + tag, ("{\"requestId\":\"" + tag
                + "-k\",\"action\":\"create\",\"name\":\"" + mismatched + "\"}").getBytes(StandardCharsets.UTF_8)));
        for (String name : validNames) {
            valid.add(harness.request("delete", name, null));
        }

        List<JsonNode> terminal = harness.awaitTerminal(WAIT, valid.toArray(String[]::new));
        assertThat(terminal).extracting(e -> e.get("state").asText())
                .as("every valid request completes").containsOnly("running", "deleted");

        List<ConsumerRecord<String, String>> letters = harness.dlqReader().awaitRecords(
                r -> r.stream().filter(x -> x.value().contains(tag)).count() >= sentBad.size(), WAIT,
                "a dead letter for each bad request");
        letters = harness.dlqReader().drain(Duration.ofSeconds(2));
        List<JsonNode> ours = letters.stream().map(r -> TopicReader.parse(r.value()))
                .filter(j -> j.toString().contains(tag)).toList();
        assertThat(ours).as("each bad request is in the DLQ exactly once").hasSize(sentBad.size());
        for (Map.Entry<String, RecordMetadata> sent : sentBad.entrySet()) {
            RecordMetadata m = sent.getValue();
            List<JsonNode> matching = ours.stream().filter(j -> j.path("origin").path("partition").asInt() == m.partition()
                    && j.path("origin").path("offset").asLong() == m.offset()).toList();
            assertThat(matching).as(sent.getKey() + " at " + m).hasSize(1);
            JsonNode letter = matching.get(0);
            assertThat(letter.path("origin").path("topic").asText()).isEqualTo(harness.requests);
            assertThat(letter.path("error").asText()).startsWith("invalid request: ");
            assertThat(letter.path("problems").size()).isPositive();
            assertThat(letter.has("payload") || letter.has("payloadBase64")).isTrue();
        }
        assertThat(letterFor(ours, sentBad.get("not JSON")).path("error").asText()).contains("not valid JSON");
        assertThat(letterFor(ours, sentBad.get("not JSON")).path("payload").asText()).isEqualTo("{not json " + tag);
        assertThat(letterFor(ours, sentBad.get("wrong types")).path("problems").toString())
                .contains("$.resources.memoryMiB: expected a whole number").contains("$.resources.vcpus");
        assertThat(letterFor(ours, sentBad.get("missing fields")).path("problems").toString())
                .contains("$.action: required field is missing").contains("$.name: required field is missing");
        assertThat(letterFor(ours, sentBad.get("unknown action")).path("error").asText())
                .contains("unknown action 'explode'").contains("create, start, stop, reboot, delete");
        assertThat(letterFor(ours, sentBad.get("out-of-range sizing")).path("problems").toString())
                .contains("$.resources.memoryMiB: 1 is out of range: expected 16 to 4194304")
                .contains("$.resources.vcpus: 100000 is out of range: expected 1 to 512")
                .contains("record key 'bad-" + tag + "' does not match $.name");
        assertThat(letterFor(ours, sentBad.get("invalid name")).path("error").asText()).contains("not a valid VM name");
        assertThat(letterFor(ours, sentBad.get("unknown field")).path("error").asText()).contains("unknown field 'resource'");
        assertThat(letterFor(ours, sentBad.get("key does not match name")).path("error").asText())
                .contains("does not match $.name");
        JsonNode binary = letterFor(ours, sentBad.get("invalid UTF-8"));
        assertThat(binary.has("payload")).isFalse();
        assertThat(java.util.Base64.getDecoder().decode(binary.path("payloadBase64").asText())).isEqualTo(withInvalidByte);
        // dead letters keep the original key
        assertThat(letters.stream().filter(r -> r.value().contains(tag + "-u")).map(ConsumerRecord::key))
                .containsExactly("bad-" + tag);
        assertThat(harness.statusReader().json()).noneMatch(e -> e.path("name").asText().equals(mismatched));
    }

    private static JsonNode letterFor(List<JsonNode> letters, RecordMetadata m) {
        return letters.stream().filter(j -> j.path("origin").path("partition").asInt() == m.partition()
                && j.path("origin").path("offset").asLong() == m.offset()).findFirst().orElseThrow();
    }

    @Test
    void requestsForOneVmAreHandledInOrderWhileVmsProceedTogether() {
        List<String> names = new ArrayList<>();
        Map<String, List<String>> idsByVm = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            String name = vm("ordered");
            names.add(name);
            idsByVm.put(name, new ArrayList<>());
        }
        List<String> sequence = List.of("create", "stop", "start", "reboot", "stop", "delete");
        for (String action : sequence) {
            for (String name : names) {
                idsByVm.get(name).add(harness.request(action, name, null));
            }
        }
        List<String> all = idsByVm.values().stream().flatMap(List::stream).toList();
        harness.awaitTerminal(WAIT, all.toArray(String[]::new));
        for (String name : names) {
            List<JsonNode> terminals = harness.statusReader().json().stream()
                    .filter(e -> e.path("name").asText().equals(name) && PipelineHarness.isTerminal(e)).toList();
            assertThat(terminals).extracting(e -> e.get("requestId").asText())
                    .as("terminal events of %s in publication order", name).containsExactlyElementsOf(idsByVm.get(name));
            assertThat(terminals).extracting(e -> e.get("state").asText())
                    .containsExactly("running", "stopped", "running", "running", "stopped", "deleted");
        }
    }

    @Test
    void offsetsAreCommittedOnceTheOutcomeIsPublished() throws Exception {
        String name = vm("committed");
        String create = harness.request("create", name, null);
        String delete = harness.request("delete", name, null);
        harness.awaitTerminal(WAIT, create, delete);
        try (var admin = TestKafka.admin()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(harness.group)
                        .partitionsToOffsetAndMetadata().get();
                var ends = admin.listOffsets(committed.keySet().stream().collect(java.util.stream.Collectors.toMap(
                        tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                boolean caughtUp = !committed.isEmpty() && committed.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() == ends.get(e.getKey()).offset());
                if (caughtUp) {
                    break;
                }
                assertThat(System.nanoTime()).as("committed offsets %s never reached the end %s", committed, ends)
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }
}

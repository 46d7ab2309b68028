package dev.vmprov.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.vmprov.Vmprov;
import dev.vmprov.api.RequestPublisher;
import dev.vmprov.request.InvalidRequestException;
import dev.vmprov.request.ProvisioningRequest;
import dev.vmprov.request.RecordOrigin;
import dev.vmprov.request.RequestParser;

/**
 * {@code vmprov submit}: validates a request exactly as the pipeline will, publishes it with key = VM name, and
 * prints its request id. With {@code --wait} it follows the status topic until the request reaches a terminal
 * state.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Publish a provisioning request, from flags or from a JSON file ('-' reads standard input).")
public class SubmitCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--file"}, description = "A request as JSON; flags given too override its fields.")
    String file;

    @Option(names = {"-a", "--action"}, description = "create, start, stop, reboot or delete.")
    String action;

    @Option(names = {"-n", "--name"}, description = "The VM (libvirt domain) name.")
    String name;

    /** Only a create request may carry these. */
    @picocli.CommandLine.Mixin
    CreateOptions settings;

    @Option(names = "--request-id", description = "Idempotency key; a random UUID when left out.")
    String requestId;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS"
            + " or localhost:9092).")
    String bootstrapServers;

    @Option(names = "--topic", description = "Requests topic (default: $VMPROV_REQUESTS_TOPIC or"
            + " vm.provisioning.requests).")
    String topic;

    @Option(names = "--status-topic", description = "Status topic for --wait (default: $VMPROV_STATUS_TOPIC or"
            + " vm.status).")
    String statusTopic;

    @Option(names = "--wait", description = "Follow the status topic until the request is running, stopped,"
            + " deleted or failed; exit 1 if it failed.")
    boolean waitForOutcome;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait with --wait (default:"
            + " ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = System.getenv();
        String servers = firstOf(bootstrapServers, env.get("KAFKA_BOOTSTRAP_SERVERS"), "localhost:9092");
        String requests = firstOf(topic, env.get("VMPROV_REQUESTS_TOPIC"), "vm.provisioning.requests");
        String status = firstOf(statusTopic, env.get("VMPROV_STATUS_TOPIC"), "vm.status");

        ObjectNode body;
        try {
            body = requestBody();
        } catch (IOException | IllegalArgumentException e) {
            err.println("vmprov submit: " + e.getMessage());
            return Vmprov.EXIT_USAGE;
        }
        byte[] payload;
        ProvisioningRequest request;
        try {
            payload = JSON.writeValueAsBytes(body);
            request = new RequestParser().parse(payload, RecordOrigin.local("submit"));
        } catch (InvalidRequestException e) {
            err.println("vmprov submit: invalid request:");
            e.problems().forEach(p -> err.println("  - " + p));
            return Vmprov.EXIT_USAGE;
        } catch (IOException e) {
            err.println("vmprov submit: " + e.getMessage());
            return Vmprov.EXIT_USAGE;
        }

        try (KafkaConsumer<String, String> follower = waitForOutcome ? follower(servers, status) : null;
             RequestPublisher publisher = new RequestPublisher(servers, requests)) {
            RecordMetadata sent = publisher.publish(request.name(), payload);
            err.println("vmprov submit: published " + request.action().wireName() + " " + request.name() + " to "
                    + sent.topic() + "-" + sent.partition() + "@" + sent.offset());
            out.println(request.requestId());
            out.flush();
            if (follower == null) {
                return Vmprov.EXIT_OK;
            }
            return follow(follower, request, status, out, err);
        } catch (RequestPublisher.Unavailable e) {
            err.println("vmprov submit: " + e.getMessage());
            return Vmprov.EXIT_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Vmprov.EXIT_FAILED;
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("vmprov submit: cannot reach Kafka at " + servers + ": " + e.getMessage());
            return Vmprov.EXIT_UNAVAILABLE;
        }
    }

    private ObjectNode requestBody() throws IOException {
        ObjectNode body;
        if (file != null) {
            byte[] raw = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            JsonNode parsed = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
            if (parsed == null || !parsed.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object");
            }
            body = (ObjectNode) parsed;
        } else {
            body = JSON.createObjectNode();
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        } else if (!body.hasNonNull("requestId")) {
            body.put("requestId", UUID.randomUUID().toString());
        }
        if (action != null) {
            body.put("action", action);
        }
        if (name != null) {
            body.put("name", name);
        }
        settings.applyTo(body);
        return body;
    }

    /**
     * A consumer positioned at the current end of the status topic, before the request is published. When the
     * topic does not exist yet, everything it will hold comes after the request: {@link #follow} assigns its
     * partitions from the beginning once they appear.
     */
    private static KafkaConsumer<String, String> follower(String servers, String status) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = partitions(consumer, status);
        if (!partitions.isEmpty()) {
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }
        return consumer;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(20));
        return infos == null ? List.of()
                : infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private int follow(KafkaConsumer<String, String> follower, ProvisioningRequest request, String status,
            PrintWriter out, PrintWriter err) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (follower.assignment().isEmpty()) {
                List<TopicPartition> partitions = partitions(follower, status);
                if (partitions.isEmpty()) {
                    Thread.sleep(250);
                    continue;
                }
                follower.assign(partitions);
                follower.seekToBeginning(partitions);
            }
            for (ConsumerRecord<String, String> record : follower.poll(Duration.ofMillis(250))) {
                JsonNode event;
                try {
                    event = JSON.readTree(record.value());
                } catch (IOException e) {
                    continue;
                }
                if (!request.requestId().equals(event.path("requestId").asText())) {
                    continue;
                }
                String state = event.path("state").asText();
                err.println("vmprov submit: " + request.name() + " " + state
                        + (event.hasNonNull("reason") ? ": " + event.get("reason").asText() : "")
                        + (event.hasNonNull("detail") ? " (" + event.get("detail").asText() + ")" : ""));
                if (!state.equals("accepted") && !state.equals("defined") && !state.equals("retrying")) {
                    out.println(record.value());
                    out.flush();
                    return state.equals("failed") ? Vmprov.EXIT_FAILED : Vmprov.EXIT_OK;
                }
            }
        }
        err.println("vmprov submit: no terminal state for request " + request.requestId() + " within "
                + timeoutSeconds + " s");
        return Vmprov.EXIT_TIMEOUT;
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}

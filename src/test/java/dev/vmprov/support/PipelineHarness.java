package dev.vmprov.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.Pipeline;
import dev.vmprov.config.VmprovConfig;
import dev.vmprov.local.LocalKafkaBroker;

/**
 * The real pipeline on the real broker with libvirt's test driver, with topics of its own, a plain producer for
 * requests and plain consumers for the status and dead-letter topics.
 */
public final class PipelineHarness implements AutoCloseable {

    public final String requests;
    public final String status;
    public final String dlq;
    public final String console;
    public final String group;
    private final Map<String, String> env = new HashMap<>();
    private final KafkaProducer<String, byte[]> producer;
    private Pipeline pipeline;
    private TopicReader statusReader;
    private TopicReader dlqReader;

    public PipelineHarness(Map<String, String> extraEnv) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        requests = "requests-" + suffix;
        status = "status-" + suffix;
        dlq = "dlq-" + suffix;
        console = "console-" + suffix;
        group = "vmprov-" + suffix;
        TestKafka.createTopics(List.of(requests, status, dlq, console), 3);
        env.put("VM_PROVISIONER_DRIVER", "libvirt");
        env.put("LIBVIRT_CONNECTION_URI", "test:///default");
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
        env.put("VMPROV_REQUESTS_TOPIC", requests);
        env.put("VMPROV_STATUS_TOPIC", status);
        env.put("VMPROV_DLQ_TOPIC", dlq);
        env.put("VMPROV_CONSOLE_TOPIC", console);
        env.put("VMPROV_CONSUMER_GROUP", group);
        env.put("VMPROV_ROUTES", "file:routes/*.camel.yaml");
        env.put("VMPROV_STORE_URL", "jdbc:h2:file:" + LocalKafkaBroker.temporaryDataDir().resolve("store"));
        try {
            env.put("VMPROV_HTTP_PORT", Integer.toString(VmprovProcess.freePort()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        env.putAll(extraEnv);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public PipelineHarness start() {
        pipeline = Pipeline.start(VmprovConfig.fromEnvironment(env));
        return this;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public String env(String name) {
        return env.get(name);
    }

    /** The base URL of this pipeline's HTTP API. */
    public String api() {
        return "http://127.0.0.1:" + env.get("VMPROV_HTTP_PORT");
    }

    public void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    public RecordMetadata send(String key, String json) {
        return send(key, json.getBytes(StandardCharsets.UTF_8));
    }

    public RecordMetadata send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(requests, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing a request failed", e);
        }
    }

    /** Publishes a well-formed request with key = name and returns its request id. */
    public String request(String action, String name, String extraJson) {
        String id = UUID.randomUUID().toString();
        send(name, "{\"requestId\":\"" + id + "\",\"action\":\"" + action + "\",\"name\":\"" + name + "\""
                + (extraJson == null ? "" : "," + extraJson) + "}");
        return id;
    }

    public synchronized TopicReader statusReader() {
        if (statusReader == null) {
            statusReader = new TopicReader(status);
        }
        return statusReader;
    }

    public synchronized TopicReader dlqReader() {
        if (dlqReader == null) {
            dlqReader = new TopicReader(dlq);
        }
        return dlqReader;
    }

    /** Waits for the terminal status event of each request id and returns them in the same order. */
    public List<JsonNode> awaitTerminal(Duration timeout, String... requestIds) {
        Predicate<List<ConsumerRecord<String, String>>> done = records -> {
            for (String id : requestIds) {
                if (records.stream().map(r -> TopicReader.parse(r.value())).noneMatch(
                        e -> e.path("requestId").asText().equals(id) && isTerminal(e))) {
                    return false;
                }
            }
            return true;
        };
        statusReader().awaitRecords(done, timeout, "terminal status of " + String.join(", ", requestIds));
        return java.util.Arrays.stream(requestIds).map(id -> events(id).stream().filter(PipelineHarness::isTerminal)
                .findFirst().orElseThrow()).toList();
    }

    /** Every status event of one request, in the order published. */
    public List<JsonNode> events(String requestId) {
        return statusReader().json().stream().filter(e -> e.path("requestId").asText().equals(requestId)).toList();
    }

    public static boolean isTerminal(JsonNode event) {
        String state = event.path("state").asText();
        return !state.equals("accepted") && !state.equals("defined") && !state.equals("retrying");
    }

    @Override
    public void close() {
        stopPipeline();
        producer.close();
        if (statusReader != null) {
            statusReader.close();
        }
        if (dlqReader != null) {
            dlqReader.close();
        }
    }
}

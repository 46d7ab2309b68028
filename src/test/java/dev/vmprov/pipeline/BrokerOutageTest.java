package dev.vmprov.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vmprov.Pipeline;
import dev.vmprov.config.VmprovConfig;
import dev.vmprov.local.LocalKafkaBroker;
import dev.vmprov.support.PipelineHarness;
import dev.vmprov.support.VmprovProcess;

/**
 * The broker goes away while requests are being handled and comes back on the same port with its data: every
 * request still reaches exactly one terminal outcome. A broker of its own (not the shared test broker).
 */
class BrokerOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requestsInFlightDuringABrokerOutageCompleteOnceItIsBack() throws Exception {
        int port = VmprovProcess.freePort();
        Path data = LocalKafkaBroker.temporaryDataDir();
        LocalKafkaBroker broker = new LocalKafkaBroker(port, data).start();
        broker.createTopics(List.of("requests", "status", "dlq", "console"));
        Connect keepAlive = new Connect("test:///default");
        Map<String, String> env = new HashMap<>();
        env.put("VM_PROVISIONER_DRIVER", "libvirt");
        env.put("LIBVIRT_CONNECTION_URI", "test:///default");
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("VMPROV_REQUESTS_TOPIC", "requests");
        env.put("VMPROV_STATUS_TOPIC", "status");
        env.put("VMPROV_DLQ_TOPIC", "dlq");
        env.put("VMPROV_CONSOLE_TOPIC", "console");
        env.put("VMPROV_ROUTES", "file:routes/*.camel.yaml");
        env.put("VMPROV_STORE_URL", "jdbc:h2:file:" + data.resolve("store"));
        env.put("VMPROV_HTTP_PORT", Integer.toString(VmprovProcess.freePort()));
        Pipeline pipeline = Pipeline.start(VmprovConfig.fromEnvironment(env));
        List<String> ids = new ArrayList<>();
        try {
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("acks", "all");
            String tag = UUID.randomUUID().toString().substring(0, 6);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 60; i++) {
                    String name = "outage-" + tag + "-" + i;
                    for (String action : List.of("create", "delete")) {
                        String id = UUID.randomUUID().toString();
                        ids.add(id);
                        producer.send(new ProducerRecord<>("requests", name, "{\"requestId\":\"" + id
                                + "\",\"action\":\"" + action + "\",\"name\":\"" + name + "\"}")).get();
                    }
                }
            }
            Thread.sleep(300); // some handled, most not yet
            long down = System.currentTimeMillis();
            broker.close();
            TimeUnit.SECONDS.sleep(3);
            broker = new LocalKafkaBroker(port, data).start();
            long up = System.currentTimeMillis();

            Map<String, Integer> terminal = new HashMap<>();
            List<Long> outcomeTimes = new ArrayList<>();
            Properties c = new Properties();
            c.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new StringDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor("status", Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition("status", i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!terminal.keySet().containsAll(ids) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        JsonNode e = JSON.readTree(r.value());
                        if (PipelineHarness.isTerminal(e) && !e.get("state").asText().equals("duplicate")) {
                            terminal.merge(e.get("requestId").asText(), 1, Integer::sum);
                            outcomeTimes.add(java.time.Instant.parse(e.get("timestamp").asText()).toEpochMilli());
                        }
                    }
                }
            }
            assertThat(terminal.keySet()).as("every request reached an outcome").containsAll(ids);
            assertThat(Set.copyOf(terminal.values())).as("at most once each: %s", terminal).containsOnly(1);
            assertThat(outcomeTimes).as("the outage happened mid-stream").anyMatch(t -> t < down)
                    .anyMatch(t -> t > up);
        } finally {
            pipeline.close();
            broker.close();
            keepAlive.close();
        }
    }
}

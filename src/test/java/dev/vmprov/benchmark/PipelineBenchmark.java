package dev.vmprov.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vmprov.support.PipelineHarness;
import dev.vmprov.support.TestKafka;

/**
 * Throughput and latency of the whole pipeline on the test driver: N VMs, each created then deleted, published as
 * fast as a producer can; terminal events counted by a plain consumer that parses each record once. Prints the
 * numbers; asserts nothing about time. Run (docs/performance.md):
 * {@code mvn -B test -Dtest=PipelineBenchmark -Dvmprov.excludedGroups=none -Dvmprov.benchmark.vms=1000}
 */
@Tag("benchmark")
class PipelineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createAndDeleteManyVms() throws Exception {
        int vms = Integer.getInteger("vmprov.benchmark.vms", 500);
        Map<String, String> env = new HashMap<>();
        String consumers = System.getProperty("vmprov.benchmark.consumers");
        if (consumers != null) {
            env.put("VMPROV_CONSUMERS", consumers);
        }
        Connect keepAlive = new Connect("test:///default");
        try (PipelineHarness harness = new PipelineHarness(env).start();
             KafkaConsumer<String, String> status = consumer(harness.status)) {
            harness.awaitTerminal(Duration.ofSeconds(60), harness.request("start", "warm-up-none", null));
            String tag = UUID.randomUUID().toString().substring(0, 6);
            Map<String, Long> published = new HashMap<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < vms; i++) {
                String name = "bench-" + tag + "-" + i;
                published.put(harness.request("create", name, null), System.currentTimeMillis());
                published.put(harness.request("delete", name, null), System.currentTimeMillis());
            }
            long publishedNanos = System.nanoTime() - t0;
            List<Long> latencies = new ArrayList<>();
            int failed = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            while (latencies.size() < published.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : status.poll(Duration.ofMillis(200))) {
                    JsonNode e = JSON.readTree(r.value());
                    Long sent = published.get(e.path("requestId").asText());
                    String state = e.path("state").asText();
                    if (sent != null && PipelineHarness.isTerminal(e)) {
                        latencies.add(Instant.parse(e.get("timestamp").asText()).toEpochMilli() - sent);
                        failed += state.equals("failed") ? 1 : 0;
                    }
                }
            }
            long totalNanos = System.nanoTime() - t0;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("BENCHMARK %d requests (%d VMs created and deleted), %d terminal, %d failed, consumers=%s%n",
                    published.size(), vms, sorted.length, failed, consumers == null ? "3 (default)" : consumers);
            System.out.printf("BENCHMARK published in %.2f s; all terminal after %.2f s: %.0f requests/s%n",
                    publishedNanos / 1e9, totalNanos / 1e9, sorted.length / (totalNanos / 1e9));
            System.out.printf("BENCHMARK publish -> terminal event: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                    pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted[sorted.length - 1]);
        } finally {
            keepAlive.close();
        }
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestKafka.bootstrapServers());
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position);
        return c;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}

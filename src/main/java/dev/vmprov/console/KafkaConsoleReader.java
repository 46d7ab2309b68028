package dev.vmprov.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads one VM's lines from the console topic, for a process that does not run the pipeline (the CLI): the last
 * lines (reading backwards from the end of the VM's partition in growing windows) and new lines as they come.
 */
public class KafkaConsoleReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final String name;
    private final TopicPartition partition;

    public KafkaConsoleReader(String bootstrapServers, String topic, String name) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.name = name;
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(20));
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("the console topic " + topic + " does not exist at " + bootstrapServers);
        }
        // the producer's default partitioner for a keyed record
        int index = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions.size();
        this.partition = new TopicPartition(topic, index);
        consumer.assign(List.of(partition));
    }

    /** The last {@code count} lines of this VM on the topic, oldest first. */
    public List<ConsoleLine> last(int count) {
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
        long window = Math.max(64, count * 4L);
        List<ConsoleLine> found = List.of();
        long from = end;
        while (from > begin) {
            from = Math.max(begin, end - window);
            found = read(from, end);
            if (found.size() >= count) {
                break;
            }
            window *= 4;
        }
        consumer.seek(partition, end);
        return List.copyOf(found.subList(Math.max(0, found.size() - count), found.size()));
    }

    private List<ConsoleLine> read(long from, long end) {
        List<ConsoleLine> lines = new ArrayList<>();
        consumer.seek(partition, from);
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() < end && name.equals(r.key())) {
                    lines.add(parse(r.value()));
                }
            }
        }
        return lines;
    }

    /** Hands every new line of this VM to {@code sink} until {@code stop} says so. */
    public void follow(Consumer<ConsoleLine> sink, BooleanSupplier stop) {
        while (!stop.getAsBoolean()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                if (name.equals(r.key())) {
                    sink.accept(parse(r.value()));
                }
            }
        }
    }

    private static ConsoleLine parse(String value) {
        try {
            return JSON.readValue(value, ConsoleLine.class);
        } catch (IOException e) {
            return new ConsoleLine(null, null, 0, value, null);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}

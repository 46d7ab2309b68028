package dev.vmprov.console;

import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Publishes console lines on the console topic, key = VM name, asynchronously and batched (a guest can print
 * thousands of lines a second; the reader must not wait for an acknowledgement per line). One key is one
 * partition and the idempotent producer keeps each partition's order, so a VM's lines stay in order.
 */
public class ConsolePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsolePublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final Runnable onPublished;

    public ConsolePublisher(String bootstrapServers, String topic, Runnable onPublished) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vmprov-console");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.onPublished = onPublished;
    }

    public void publish(ConsoleLine line) {
        String value;
        try {
            value = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        producer.send(new ProducerRecord<>(topic, line.name(), value), (metadata, error) -> {
            if (error == null) {
                onPublished.run();
            } else {
                LOG.warn("a console line of {} (session {}, seq {}) was not published: {}", line.name(),
                        line.session(), line.seq(), error.getMessage());
            }
        });
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}

package dev.vmprov.request;

/**
 * Where a request came from: the Kafka record (topic, partition, offset, key, and its timestamp in epoch
 * milliseconds), or a local source such as the CLI.
 */
public record RecordOrigin(String topic, Integer partition, Long offset, String key, Long timestamp) {

    public RecordOrigin(String topic, Integer partition, Long offset, String key) {
        this(topic, partition, offset, key, null);
    }

    public static RecordOrigin local(String source) {
        return new RecordOrigin(source, null, null, null, null);
    }

    @Override
    public String toString() {
        return partition == null ? topic : topic + "-" + partition + "@" + offset;
    }
}

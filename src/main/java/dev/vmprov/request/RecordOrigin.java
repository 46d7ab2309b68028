package dev.vmprov.request;

/** Where a request came from: the Kafka record (topic, partition, offset, key), or a local source such as the CLI. */
public record RecordOrigin(String topic, Integer partition, Long offset, String key) {

    public static RecordOrigin local(String source) {
        return new RecordOrigin(source, null, null, null);
    }

    @Override
    public String toString() {
        return partition == null ? topic : topic + "-" + partition + "@" + offset;
    }
}

package dev.vmprov.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import dev.vmprov.request.RecordOrigin;

/** The Kafka side of an exchange: where the record came from, and committing its offset once it is handled. */
public class KafkaRecords {

    public RecordOrigin origin(Exchange exchange) {
        Message in = exchange.getMessage();
        Object key = in.getHeader(KafkaConstants.KEY);
        return new RecordOrigin(in.getHeader(KafkaConstants.TOPIC, String.class),
                in.getHeader(KafkaConstants.PARTITION, Integer.class),
                in.getHeader(KafkaConstants.OFFSET, Long.class),
                key == null ? null : key.toString(), in.getHeader(KafkaConstants.TIMESTAMP, Long.class));
    }

    /**
     * Commits the offset of the record being handled, synchronously. Called as the last step, after every
     * event of the outcome was acknowledged by Kafka; a crash before it means the record is delivered again.
     */
    public void commit(Exchange exchange) {
        KafkaManualCommit manual = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                KafkaManualCommit.class);
        if (manual == null) {
            throw new IllegalStateException("no manual commit handle on the exchange: the consumer must run with"
                    + " allowManualCommit=true and autoCommitEnable=false");
        }
        manual.commit();
    }
}

package dev.vmprov.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A request that was rejected, published on the dead-letter topic with the original key.
 * {@code payload} is the original record value as text when it is valid UTF-8; otherwise {@code payloadBase64}
 * holds the exact bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"error", "problems", "origin", "payload", "payloadBase64", "rejectedAt"})
public record DeadLetter(
        String error,
        List<String> problems,
        Origin origin,
        String payload,
        String payloadBase64,
        String rejectedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Origin(String topic, Integer partition, Long offset, String key) {
    }
}

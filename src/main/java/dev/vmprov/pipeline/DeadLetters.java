package dev.vmprov.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import dev.vmprov.events.DeadLetter;
import dev.vmprov.request.InvalidRequestException;
import dev.vmprov.request.RecordOrigin;

/** Builds the dead-letter record for a rejected request: the original payload, every problem, and its origin. */
public class DeadLetters {

    public DeadLetter reject(Object payload, Exception error, RecordOrigin origin) {
        List<String> problems = error instanceof InvalidRequestException invalid
                ? invalid.problems()
                : List.of(String.valueOf(error));
        String summary = problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + problems.get(0)
                + " (and more, see problems)";
        byte[] bytes = bytes(payload);
        String text = utf8(bytes);
        DeadLetter.Origin from = origin == null ? null
                : new DeadLetter.Origin(origin.topic(), origin.partition(), origin.offset(), origin.key());
        return new DeadLetter("invalid request: " + summary, problems, from, text,
                text == null ? Base64.getEncoder().encodeToString(bytes) : null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    private static byte[] bytes(Object payload) {
        if (payload == null) {
            return new byte[0];
        }
        if (payload instanceof byte[] raw) {
            return raw;
        }
        return payload.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

package dev.vmprov.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns console bytes into lines: split at '\n' (a trailing '\r' dropped), invalid UTF-8 replaced with U+FFFD,
 * a line longer than {@code maxLineBytes} cut (at a character boundary) into several, and a partial line held
 * until it is completed or {@link #flushPartial()} is called (the streamer does so after a short idle delay).
 */
final class LineAssembler {

    private final int maxLineBytes;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long lastFeedNanos = System.nanoTime();

    LineAssembler(int maxLineBytes, Consumer<String> lines) {
        this.maxLineBytes = maxLineBytes;
        this.lines = lines;
    }

    synchronized void feed(byte[] buffer, int length) {
        lastFeedNanos = System.nanoTime();
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                emit(pending.toByteArray(), pending.size());
                pending.reset();
            } else {
                pending.write(b);
                if (pending.size() >= maxLineBytes) {
                    cutAtCharacterBoundary();
                }
            }
        }
    }

    /** Emits a held partial line if nothing arrived for {@code idleNanos}. */
    synchronized void flushIfIdle(long idleNanos) {
        if (pending.size() > 0 && System.nanoTime() - lastFeedNanos >= idleNanos) {
            flushPartial();
        }
    }

    /** Emits what is held (up to the last complete character). */
    synchronized void flushPartial() {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        int end = completeCharacters(bytes, bytes.length);
        if (end == 0) {
            return; // only the start of a character: wait for the rest
        }
        emit(bytes, end);
        pending.reset();
        pending.write(bytes, end, bytes.length - end);
    }

    /** At the end of a stream: everything held, even an incomplete character (replaced). */
    synchronized void close() {
        if (pending.size() > 0) {
            emit(pending.toByteArray(), pending.size());
            pending.reset();
        }
    }

    private void cutAtCharacterBoundary() {
        byte[] bytes = pending.toByteArray();
        int end = completeCharacters(bytes, bytes.length);
        if (end == 0) {
            end = bytes.length;
        }
        emit(bytes, end);
        pending.reset();
        pending.write(bytes, end, bytes.length - end);
    }

    /** The length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeCharacters(byte[] bytes, int length) {
        int i = length - 1;
        int continuation = 0;
        while (i >= 0 && (bytes[i] & 0xC0) == 0x80 && continuation < 3) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return length;
        }
        int lead = bytes[i] & 0xFF;
        int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return needed > continuation ? i : length;
    }

    private void emit(byte[] bytes, int length) {
        int end = length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        lines.accept(new String(bytes, 0, end, StandardCharsets.UTF_8));
    }
}

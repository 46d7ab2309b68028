package dev.vmprov.console;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of a VM's console, published on the console topic with key = VM name. {@code session} names one
 * console stream (set when vmprov attached to the domain, normally at its start); {@code seq} counts the lines of
 * a session from 1, so ({@code session}, {@code seq}) orders and de-duplicates them.
 */
@JsonPropertyOrder({"name", "session", "seq", "line", "timestamp"})
public record ConsoleLine(String name, String session, long seq, String line, String timestamp) {
}

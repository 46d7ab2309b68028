package dev.vmprov.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Collects configuration problems, each naming the variable, the JSON path where it applies, the value found
 * and what is expected, so that startup can report all of them at once.
 */
public final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final List<String> messages = new ArrayList<>();

    public void add(String message) {
        messages.add(message);
    }

    /** "VAR $.path: found X, expected Y" (the path is left out for scalar variables). */
    public void found(String variable, String path, String found, String expected) {
        messages.add(variable + (path == null ? "" : " " + path) + ": found " + found + ", expected " + expected);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Parses a JSON variable; null (with a problem recorded) when it is not JSON. */
    public JsonNode json(String variable, String raw) {
        try {
            JsonNode node = JSON.readTree(raw);
            if (node == null || node.isMissingNode()) {
                found(variable, null, "an empty value", "JSON");
                return null;
            }
            return node;
        } catch (JsonParseException e) {
            found(variable, null, shown(raw), "valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            return null;
        } catch (java.io.IOException e) {
            found(variable, null, shown(raw), "valid JSON (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Parses a JSON variable that must be an object; null (with a problem recorded) otherwise. */
    public ObjectNode object(String variable, String raw, String expected) {
        JsonNode node = json(variable, raw);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            found(variable, "$", shown(node), expected);
            return null;
        }
        return (ObjectNode) node;
    }

    /** Records every key of {@code object} that is not in {@code allowed}. */
    public void unknownKeys(String variable, JsonNode object, String path, Set<String> allowed, String what) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                found(variable, path + "." + field, what, "only " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** A JSON value as shown in a message: its JSON text, abbreviated. */
    public static String shown(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return shown(node.toString());
    }

    public static String shown(String text) {
        String t = text.length() <= 80 ? text : text.substring(0, 77) + "...";
        return "'" + t + "'";
    }
}

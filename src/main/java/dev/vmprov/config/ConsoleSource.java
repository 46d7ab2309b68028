package dev.vmprov.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.util.WireNames;

/**
 * {@code LIBVIRT_CONSOLE_SOURCE}: how the guest's serial console is exposed. A word ({@code pty}, {@code tcp},
 * {@code unix}, {@code file}) takes the defaults; a JSON object sets them, e.g.
 * {@code {"type": "tcp", "host": "127.0.0.1", "ports": "20000-20999"}}. Every type also logs the console to
 * {@code <logDirectory>/<name>-serial.log} (append), so its history survives reconnects and restarts.
 */
public record ConsoleSource(Type type, String host, int firstPort, int lastPort, String directory,
        String logDirectory) {

    public enum Type { PTY, TCP, UNIX, FILE }

    public static final String VARIABLE = "LIBVIRT_CONSOLE_SOURCE";
    public static final String DEFAULT_LOG_DIRECTORY = "/var/log/libvirt/qemu";
    private static final Map<Type, String> DEFAULT_DIRECTORY = Map.of(
            Type.UNIX, "/var/lib/libvirt/qemu/vmprov-console",
            Type.FILE, "/var/log/libvirt/qemu");
    public static final ConsoleSource PTY = new ConsoleSource(Type.PTY, null, 0, 0, null, DEFAULT_LOG_DIRECTORY);

    public String logFileFor(String vmName) {
        return logDirectory + "/" + vmName + "-serial.log";
    }

    /** The socket ({@code unix}) or output file ({@code file}) of one VM. */
    public String pathFor(String vmName) {
        return type == Type.UNIX ? directory + "/" + vmName + ".sock" : directory + "/" + vmName + "-console.out";
    }

    public static ConsoleSource parse(String raw, Problems problems) {
        if (raw == null) {
            return PTY;
        }
        String trimmed = raw.trim();
        if (!trimmed.startsWith("{")) {
            Type type = WireNames.parse(Type.class, trimmed).orElse(null);
            if (type == null) {
                problems.found(VARIABLE, null, Problems.shown(trimmed), "one of "
                        + WireNames.allowed(Type.class) + ", or a JSON object like {\"type\": \"tcp\", \"host\":"
                        + " \"127.0.0.1\", \"ports\": \"20000-20999\"}");
                return PTY;
            }
            return defaults(type);
        }
        JsonNode root = problems.json(VARIABLE, trimmed);
        if (root == null) {
            return PTY;
        }
        JsonNode typeNode = root.get("type");
        Type type = typeNode != null && typeNode.isTextual()
                ? WireNames.parse(Type.class, typeNode.asText()).orElse(null) : null;
        if (type == null) {
            problems.found(VARIABLE, "$.type", Problems.shown(typeNode), "one of " + WireNames.allowed(Type.class));
            return PTY;
        }
        Set<String> allowed = switch (type) {
            case PTY -> Set.of("type", "logDirectory");
            case TCP -> Set.of("type", "host", "ports", "logDirectory");
            case UNIX, FILE -> Set.of("type", "directory", "logDirectory");
        };
        problems.unknownKeys(VARIABLE, root, "$", allowed, "an unknown key for type " + WireNames.of(type));
        ConsoleSource d = defaults(type);
        String logDirectory = directory(root, "logDirectory", d.logDirectory(), problems);
        String host = d.host();
        int first = d.firstPort();
        int last = d.lastPort();
        if (type == Type.TCP) {
            JsonNode hostNode = root.get("host");
            if (hostNode != null) {
                if (!hostNode.isTextual() || !hostNode.asText().matches("[A-Za-z0-9.:-]{1,253}")) {
                    problems.found(VARIABLE, "$.host", Problems.shown(hostNode), "an IP address or host name to"
                            + " listen on, like \"127.0.0.1\"");
                } else {
                    host = hostNode.asText();
                }
            }
            JsonNode portsNode = root.get("ports");
            if (portsNode != null) {
                int[] range = portRange(portsNode);
                if (range == null) {
                    problems.found(VARIABLE, "$.ports", Problems.shown(portsNode), "a port range \"first-last\""
                            + " within 1024-65535, like \"20000-20999\"");
                } else {
                    first = range[0];
                    last = range[1];
                }
            }
        }
        String directory = type == Type.UNIX || type == Type.FILE
                ? directory(root, "directory", d.directory(), problems) : null;
        return new ConsoleSource(type, host, first, last, directory, logDirectory);
    }

    private static ConsoleSource defaults(Type type) {
        return switch (type) {
            case PTY -> PTY;
            case TCP -> new ConsoleSource(type, "127.0.0.1", 20000, 20999, null, DEFAULT_LOG_DIRECTORY);
            case UNIX, FILE -> new ConsoleSource(type, null, 0, 0, DEFAULT_DIRECTORY.get(type),
                    DEFAULT_LOG_DIRECTORY);
        };
    }

    private static String directory(JsonNode root, String key, String fallback, Problems problems) {
        JsonNode node = root.get(key);
        if (node == null) {
            return fallback;
        }
        String value = node.isTextual() ? node.asText() : null;
        if (value == null || !value.startsWith("/") || List.of(value.split("/")).contains("..")
                || value.chars().anyMatch(Character::isISOControl)) {
            problems.found(VARIABLE, "$." + key, Problems.shown(node), "an absolute directory path without '..'");
            return fallback;
        }
        return value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    }

    private static int[] portRange(JsonNode node) {
        if (!node.isTextual() || !node.asText().matches("\\d{1,5}-\\d{1,5}")) {
            return null;
        }
        String[] parts = node.asText().split("-");
        int first = Integer.parseInt(parts[0]);
        int last = Integer.parseInt(parts[1]);
        return first >= 1024 && last <= 65535 && first <= last ? new int[] {first, last} : null;
    }
}

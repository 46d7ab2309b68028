package dev.vmprov.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.Limits;
import dev.vmprov.util.WireNames;

/**
 * Every setting of the service, read once from the environment and validated as a whole. The README's
 * configuration table lists each variable with its meaning, default and an example.
 */
public record VmprovConfig(
        Driver driver,
        String libvirtUri,
        IsolationTier defaultTier,
        int defaultMemoryMiB,
        int defaultVcpus,
        Duration stopTimeout,
        String bootstrapServers,
        String requestsTopic,
        String statusTopic,
        String deadLetterTopic,
        String consumerGroup,
        int consumers,
        String routes) {

    public static final String DEFAULT_ROUTES = "classpath:routes/*.camel.yaml";

    /** Reads and validates; throws {@link ConfigException} listing every problem at once. */
    public static VmprovConfig fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        Driver driver = r.choice("VM_PROVISIONER_DRIVER", "http", Driver.class);
        String uri = r.text("LIBVIRT_CONNECTION_URI", "qemu:///system");
        IsolationTier tier = r.choice("LIBVIRT_DEFAULT_ISOLATION_TIER", "standard", IsolationTier.class);
        int memory = r.integer("LIBVIRT_DEFAULT_MEMORY_MIB", 1024, Limits.MIN_MEMORY_MIB, Limits.MAX_MEMORY_MIB);
        int vcpus = r.integer("LIBVIRT_DEFAULT_VCPU_COUNT", 1, Limits.MIN_VCPUS, Limits.MAX_VCPUS);
        int stopSeconds = r.integer("VMPROV_STOP_TIMEOUT_SECONDS", 30, 0, 3600);
        String bootstrap = r.text("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String requests = r.topic("VMPROV_REQUESTS_TOPIC", "vm.provisioning.requests");
        String status = r.topic("VMPROV_STATUS_TOPIC", "vm.status");
        String dlq = r.topic("VMPROV_DLQ_TOPIC", "vm.provisioning.dlq");
        String group = r.text("VMPROV_CONSUMER_GROUP", "vmprov");
        int consumers = r.integer("VMPROV_CONSUMERS", 3, 1, 64);
        String routes = r.text("VMPROV_ROUTES", DEFAULT_ROUTES);
        if (driver == Driver.HTTP) {
            r.problems.add("VM_PROVISIONER_DRIVER: found 'http' (the default), but the legacy http driver is not"
                    + " available in this version: set VM_PROVISIONER_DRIVER=libvirt");
        }
        if (requests != null && (requests.equals(status) || requests.equals(dlq))) {
            r.problems.add("VMPROV_REQUESTS_TOPIC: found '" + requests + "', which is also an output topic:"
                    + " expected a topic of its own, or the pipeline would consume its own output");
        }
        if (!r.problems.isEmpty()) {
            throw new ConfigException(r.problems);
        }
        return new VmprovConfig(driver, uri, tier, memory, vcpus, Duration.ofSeconds(stopSeconds), bootstrap,
                requests, status, dlq, group, consumers, routes);
    }

    /** The same configuration with some variables replaced, as {@code run --local} and the tests do. */
    public static VmprovConfig fromEnvironment(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(overrides);
        return fromEnvironment(merged);
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        private String raw(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        }

        String text(String name, String fallback) {
            String value = raw(name);
            return value == null ? fallback : value;
        }

        String topic(String name, String fallback) {
            String value = text(name, fallback);
            if (!value.matches("[A-Za-z0-9._-]{1,249}")) {
                problems.add(name + ": found '" + value + "', expected a Kafka topic name (1-249 of letters,"
                        + " digits, '.', '_' or '-')");
                return null;
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + ": found '" + value + "', expected a whole number from " + min + " to " + max);
            return fallback;
        }

        <E extends Enum<E>> E choice(String name, String fallback, Class<E> type) {
            String value = text(name, fallback);
            return WireNames.parse(type, value).orElseGet(() -> {
                problems.add(name + ": found '" + value + "', expected one of " + WireNames.allowed(type));
                return null;
            });
        }
    }
}

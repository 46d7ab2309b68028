package dev.vmprov.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.Limits;
import dev.vmprov.store.ConnectionUris;
import dev.vmprov.util.WireNames;

/**
 * Every setting of the service, read once from the environment and validated as a whole: an invalid value is
 * reported with all the others in one {@link ConfigException}. The README's configuration table lists each
 * variable with its meaning, default and an example.
 */
public record VmprovConfig(
        Driver driver,
        String libvirtUri,
        String domainType,
        Credentials credentials,
        IsolationTier defaultTier,
        int defaultMemoryMiB,
        int defaultVcpus,
        int logTail,
        NetworkTemplate network,
        VolumeTemplate volume,
        GpuPolicy gpuPolicy,
        ConsoleSource console,
        Duration stopTimeout,
        String bootstrapServers,
        String requestsTopic,
        String statusTopic,
        String deadLetterTopic,
        String consoleTopic,
        String consumerGroup,
        int consumers,
        String routes,
        String storeUrl,
        String storeUser,
        Secret storePassword,
        String httpHost,
        int httpPort,
        Secret apiToken,
        HypervisorApi hypervisorApi) {

    /** The legacy hypervisor HTTP API that {@code VM_PROVISIONER_DRIVER=http} calls. */
    public record HypervisorApi(String url, Secret token, Duration timeout, int retries) {
        @Override
        public String toString() {
            return "HypervisorApi[url=" + url + ", token=" + (token == null ? "none" : token) + ", timeout="
                    + timeout + ", retries=" + retries + "]";
        }
    }

    public static final String DEFAULT_ROUTES = "classpath:routes/*.camel.yaml";
    public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./data/vmprov";
    public static final int MAX_LOG_TAIL = 10_000;

    /** Reads and validates; throws {@link ConfigException} listing every problem at once. */
    public static VmprovConfig fromEnvironment(Map<String, String> env) {
        Problems problems = new Problems();
        Reader r = new Reader(env, problems);
        Driver driver = r.choice("VM_PROVISIONER_DRIVER", "http", Driver.class);
        String uri = r.text("LIBVIRT_CONNECTION_URI", "qemu:///system");
        if (!uri.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            problems.found("LIBVIRT_CONNECTION_URI", null, Problems.shown(uri), "a libvirt URI like qemu:///system,"
                    + " qemu+ssh://user@host/system or test:///default");
        }
        String domainType = r.text("VMPROV_DOMAIN_TYPE", "auto");
        if (!java.util.List.of("auto", "kvm", "qemu").contains(domainType)) {
            problems.found("VMPROV_DOMAIN_TYPE", null, Problems.shown(domainType), "one of auto, kvm, qemu");
        }
        Credentials credentials = r.credentials();
        IsolationTier tier = r.choice("LIBVIRT_DEFAULT_ISOLATION_TIER", "standard", IsolationTier.class);
        int memory = r.integer("LIBVIRT_DEFAULT_MEMORY_MIB", 1024, Limits.MIN_MEMORY_MIB, Limits.MAX_MEMORY_MIB);
        int vcpus = r.integer("LIBVIRT_DEFAULT_VCPU_COUNT", 1, Limits.MIN_VCPUS, Limits.MAX_VCPUS);
        int logTail = r.integer("LIBVIRT_LOG_TAIL", 200, 1, MAX_LOG_TAIL);
        NetworkTemplate network = NetworkTemplate.parse(r.raw("LIBVIRT_NETWORK_TEMPLATE"), problems);
        VolumeTemplate volume = VolumeTemplate.parse(r.raw("LIBVIRT_VOLUME_TEMPLATE"), problems);
        GpuPolicy gpu = GpuPolicy.parse(r.raw("LIBVIRT_GPU_POLICY"), problems);
        ConsoleSource consoleSource = ConsoleSource.parse(r.raw("LIBVIRT_CONSOLE_SOURCE"), problems);
        int stopSeconds = r.integer("VMPROV_STOP_TIMEOUT_SECONDS", 30, 0, 3600);
        String bootstrap = r.text("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String requests = r.topic("VMPROV_REQUESTS_TOPIC", "vm.provisioning.requests");
        String status = r.topic("VMPROV_STATUS_TOPIC", "vm.status");
        String dlq = r.topic("VMPROV_DLQ_TOPIC", "vm.provisioning.dlq");
        String console = r.topic("VMPROV_CONSOLE_TOPIC", "vm.console");
        String group = r.text("VMPROV_CONSUMER_GROUP", "vmprov");
        int consumers = r.integer("VMPROV_CONSUMERS", 3, 1, 64);
        String routes = r.text("VMPROV_ROUTES", DEFAULT_ROUTES);
        String storeUrl = r.text("VMPROV_STORE_URL", DEFAULT_STORE_URL);
        if (!storeUrl.startsWith("jdbc:h2:") && !storeUrl.startsWith("jdbc:postgresql:")) {
            problems.found("VMPROV_STORE_URL", null, Problems.shown(ConnectionUris.sanitizeJdbc(storeUrl)),
                    "a JDBC URL for H2 (jdbc:h2:file:/var/lib/vmprov/store) or PostgreSQL"
                    + " (jdbc:postgresql://db:5432/vmprov)");
        }
        String storeUser = r.raw("VMPROV_STORE_USER");
        String storePassword = env.get("VMPROV_STORE_PASSWORD");
        String httpHost = r.text("VMPROV_HTTP_HOST", "127.0.0.1");
        int httpPort = r.integer("VMPROV_HTTP_PORT", 8080, 1, 65535);
        String apiToken = env.get("VMPROV_API_TOKEN");
        String hypervisorUrl = r.raw("VMPROV_HYPERVISOR_API_URL");
        String hypervisorToken = env.get("VMPROV_HYPERVISOR_API_TOKEN");
        int hypervisorTimeout = r.integer("VMPROV_HYPERVISOR_API_TIMEOUT_SECONDS", 10, 1, 600);
        int hypervisorRetries = r.integer("VMPROV_HYPERVISOR_API_RETRIES", 5, 0, 20);
        if (hypervisorUrl != null && !hypervisorUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
            problems.found("VMPROV_HYPERVISOR_API_URL", null, Problems.shown(hypervisorUrl),
                    "an http:// or https:// base URL like https://hypervisor.internal:8443/v1");
        }
        if (driver == Driver.HTTP && hypervisorUrl == null) {
            problems.add("VMPROV_HYPERVISOR_API_URL: found nothing, expected the legacy hypervisor API's base URL"
                    + " (like https://hypervisor.internal:8443/v1), since VM_PROVISIONER_DRIVER is 'http'"
                    + (env.get("VM_PROVISIONER_DRIVER") == null ? " (its default)" : "")
                    + "; or set VM_PROVISIONER_DRIVER=libvirt");
        }
        if (requests != null && (requests.equals(status) || requests.equals(dlq) || requests.equals(console))) {
            problems.add("VMPROV_REQUESTS_TOPIC: found '" + requests + "', which is also an output topic:"
                    + " expected a topic of its own, or the pipeline would consume its own output");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.messages());
        }
        return new VmprovConfig(driver, uri, domainType, credentials, tier, memory, vcpus, logTail, network, volume, gpu,
                consoleSource, Duration.ofSeconds(stopSeconds), bootstrap, requests, status, dlq, console, group,
                consumers, routes,
                storeUrl, storeUser, storePassword == null || storePassword.isEmpty() ? null
                        : new Secret(storePassword), httpHost, httpPort,
                apiToken == null || apiToken.isBlank() ? null : new Secret(apiToken.trim()),
                new HypervisorApi(hypervisorUrl, hypervisorToken == null || hypervisorToken.isBlank() ? null
                        : new Secret(hypervisorToken.trim()), Duration.ofSeconds(hypervisorTimeout), hypervisorRetries));
    }

    /** Every setting, with the secrets masked (the passwords are {@link Secret}s; URLs are sanitized). */
    @Override
    public String toString() {
        return "VmprovConfig[driver=" + driver + ", libvirtUri=" + ConnectionUris.sanitize(libvirtUri)
                + ", domainType=" + domainType + ", credentials=" + credentials + ", defaultTier=" + defaultTier + ", defaultMemoryMiB="
                + defaultMemoryMiB + ", defaultVcpus=" + defaultVcpus + ", logTail=" + logTail + ", network="
                + network + ", volume=" + volume + ", gpuPolicy=" + gpuPolicy + ", console=" + console
                + ", stopTimeout=" + stopTimeout + ", bootstrapServers=" + bootstrapServers + ", requestsTopic="
                + requestsTopic + ", statusTopic=" + statusTopic + ", deadLetterTopic=" + deadLetterTopic
                + ", consoleTopic=" + consoleTopic
                + ", consumerGroup=" + consumerGroup + ", consumers=" + consumers + ", routes=" + routes
                + ", storeUrl=" + ConnectionUris.sanitizeJdbc(storeUrl) + ", storeUser=" + storeUser
                + ", storePassword=" + (storePassword == null ? "none" : storePassword) + ", http=" + httpHost + ":"
                + httpPort + ", apiToken=" + (apiToken == null ? "none" : apiToken) + ", hypervisorApi=" + hypervisorApi
                + "]";
    }

    /** The same configuration with some variables replaced, as {@code run --local} and the tests do. */
    public static VmprovConfig fromEnvironment(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(overrides);
        return fromEnvironment(merged);
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final Problems problems;

        Reader(Map<String, String> env, Problems problems) {
            this.env = env;
            this.problems = problems;
        }

        String raw(String name) {
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
                problems.found(name, null, Problems.shown(value), "a Kafka topic name (1-249 of letters,"
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
            problems.found(name, null, Problems.shown(value), "a whole number from " + min + " to " + max);
            return fallback;
        }

        <E extends Enum<E>> E choice(String name, String fallback, Class<E> type) {
            String value = text(name, fallback);
            return WireNames.parse(type, value).orElseGet(() -> {
                problems.found(name, null, Problems.shown(value), "one of " + WireNames.allowed(type));
                return null;
            });
        }

        /** The password's value is never part of a message; the file's path is. */
        Credentials credentials() {
            String username = raw("LIBVIRT_USERNAME");
            String password = env.get("LIBVIRT_PASSWORD");
            String file = raw("LIBVIRT_PASSWORD_FILE");
            Path passwordFile = null;
            if (file != null) {
                passwordFile = Path.of(file);
                if (!Files.isRegularFile(passwordFile) || !Files.isReadable(passwordFile)) {
                    problems.found("LIBVIRT_PASSWORD_FILE", null, Problems.shown(file) + " ("
                            + (Files.exists(passwordFile) ? "not a readable file" : "no such file") + ")",
                            "a readable file holding the password");
                }
            }
            Secret secret = password == null || password.isEmpty() ? null : new Secret(password);
            if (username == null && secret == null && passwordFile == null) {
                return Credentials.NONE;
            }
            return new Credentials(username, secret, passwordFile);
        }
    }
}

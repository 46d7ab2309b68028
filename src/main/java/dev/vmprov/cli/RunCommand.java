package dev.vmprov.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.vmprov.Pipeline;
import dev.vmprov.Vmprov;
import dev.vmprov.config.ConfigException;
import dev.vmprov.config.VmprovConfig;
import dev.vmprov.local.LocalKafkaBroker;

/** {@code vmprov run [--local]}: starts the pipeline and runs until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the pipeline, configured from the environment (see the README).",
                "--local needs no setup: an in-process Kafka broker on 127.0.0.1:9092, libvirt's test:///default"
                        + " driver, and data under ./data."})
public class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--local", description = "Zero-setup mode: embedded Kafka broker and libvirt test driver.")
    boolean local;

    @Option(names = "--kafka-port", defaultValue = "9092",
            description = "Port of the embedded broker with --local (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--data-dir", defaultValue = "data",
            description = "Where --local keeps its data (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--libvirt-uri", defaultValue = "test:///default",
            description = "libvirt connection URI with --local (default: ${DEFAULT-VALUE}).")
    String localLibvirtUri;

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>();
        if (local) {
            overrides.put("VM_PROVISIONER_DRIVER", "libvirt");
            overrides.put("LIBVIRT_CONNECTION_URI", localLibvirtUri);
            overrides.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
            String storeUrl = System.getenv("VMPROV_STORE_URL");
            if (storeUrl == null || storeUrl.isBlank()) {
                overrides.put("VMPROV_STORE_URL", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("vmprov"));
            }
        }
        VmprovConfig config;
        try {
            config = VmprovConfig.fromEnvironment(System.getenv(), overrides);
        } catch (ConfigException e) {
            System.err.println("vmprov: " + e.getMessage());
            return Vmprov.EXIT_CONFIG;
        }
        String busy = local ? busyPort(kafkaPort, "--kafka-port") : null;
        if (busy == null) {
            busy = busyPort(config.httpPort(), "VMPROV_HTTP_PORT");
        }
        if (busy != null) {
            System.err.println("vmprov: cannot start: " + busy);
            return Vmprov.EXIT_UNAVAILABLE;
        }
        LocalKafkaBroker broker = null;
        Pipeline pipeline;
        try {
            if (local) {
                broker = new LocalKafkaBroker(kafkaPort, dataDir.resolve("kafka")).start();
                broker.createTopics(java.util.List.of(config.requestsTopic(), config.statusTopic(),
                        config.deadLetterTopic(), config.consoleTopic()));
                System.err.println("vmprov: local Kafka broker listening on " + broker.bootstrapServers()
                        + " (data in " + dataDir.toAbsolutePath() + ")");
            }
            pipeline = Pipeline.start(config);
        } catch (Pipeline.StartupException e) {
            System.err.println("vmprov: cannot start: " + e.getMessage());
            closeQuietly(broker);
            return Vmprov.EXIT_UNAVAILABLE;
        } catch (RuntimeException e) {
            System.err.println("vmprov: cannot start: " + e);
            closeQuietly(broker);
            return Vmprov.EXIT_UNAVAILABLE;
        }
        System.err.println("vmprov: consuming " + config.requestsTopic() + " on " + config.bootstrapServers()
                + ", publishing " + config.statusTopic() + " and " + config.deadLetterTopic() + " (driver "
                + config.driver().wireName() + ", " + (config.driver() == dev.vmprov.config.Driver.HTTP
                ? config.hypervisorApi().url() : dev.vmprov.store.ConnectionUris.sanitize(config.libvirtUri()))
                + "); API on http://" + config.httpHost() + ":" + config.httpPort() + "; Ctrl-C stops");
        reloadCredentialsOnHangup(pipeline);
        CountDownLatch stopped = new CountDownLatch(1);
        LocalKafkaBroker localBroker = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            closeQuietly(localBroker);
            stopped.countDown();
        }, "vmprov-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Vmprov.EXIT_OK;
    }

    /**
     * SIGHUP re-reads LIBVIRT_PASSWORD_FILE instead of ending the process (the JVM's default). The open libvirt
     * connection and the requests in flight are not touched; the next connection uses the new password.
     */
    @SuppressWarnings("restriction")
    private static void reloadCredentialsOnHangup(Pipeline pipeline) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> LOG.info(pipeline.reloadCredentials()));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP cannot be handled on this platform ({}); rotate the password with a restart",
                    e.getMessage());
        }
    }

    /** A message when 127.0.0.1:port is taken (a broker or API of another run, say), else null. */
    private static String busyPort(int port, String setting) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return null;
        } catch (java.io.IOException e) {
            return "port " + port + " on 127.0.0.1 is already in use (another `vmprov run`, or another service?):"
                    + " stop it, or choose another with " + setting;
        }
    }

    private static void closeQuietly(LocalKafkaBroker broker) {
        if (broker != null) {
            try {
                broker.close();
            } catch (RuntimeException ignored) {
                // shutting down anyway
            }
        }
    }
}

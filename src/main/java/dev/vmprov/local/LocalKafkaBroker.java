package dev.vmprov.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

import java.util.List;
import java.util.concurrent.ExecutionException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker (broker and controller in one) running inside this JVM.
 * Used by {@code run --local} (zero setup) and by the tests when no Docker engine answers.
 * Its data lives under {@code dataDir}, so a restart keeps the topics and committed offsets.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private KafkaRaftServer server;

    public LocalKafkaBroker(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Port 0 picks a free port. */
    public synchronized LocalKafkaBroker start() {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Properties props = brokerProperties(brokerPort, controllerPort);
            format(props);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            boundPort = brokerPort;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local Kafka data directory " + dataDir, e);
        }
    }

    private int boundPort;

    public String bootstrapServers() {
        return "127.0.0.1:" + boundPort;
    }

    /** Creates the topics that do not exist yet, with three partitions each so that VMs proceed in parallel. */
    public void createTopics(java.util.Collection<String> topics) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            java.util.Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().distinct().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 3, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topics " + topics + " failed: " + e.getCause().getMessage(), e);
        }
    }

    private Properties brokerProperties(int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** Formats the storage once; later starts find it formatted and keep its data. */
    private void format(Properties props) throws IOException {
        Path config = dataDir.resolve("server.properties");
        Path clusterIdFile = dataDir.resolve("cluster.id");
        String clusterId = Files.exists(clusterIdFile)
                ? Files.readString(clusterIdFile).trim()
                : org.apache.kafka.common.Uuid.randomUuid().toString();
        Files.writeString(clusterIdFile, clusterId);
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "written by vmprov for the local broker");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {
                "format", "--config", config.toString(), "--cluster-id", clusterId, "--ignore-formatted"},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the local Kafka storage in " + dataDir + " failed: "
                    + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("vmprov-kafka-" + UUID.randomUUID().toString().substring(0, 8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.vmprov.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.vmprov.support.SaslLibvirtd;
import dev.vmprov.support.VmprovProcess;
import dev.vmprov.support.VmprovProcess.Result;

/**
 * Credentials against a real libvirtd whose socket requires SASL SCRAM-SHA-256: a wrong password gives a failed
 * status with an auth reason; the password file (a symlink) is swapped to the right secret, SIGHUP is sent to
 * the running pipeline process, and the next request succeeds, without a restart. Then every output of the run
 * (all log levels, the status and dead-letter topics, the store) is searched for the passwords.
 */
class CredentialRotationIT {

    private static final String RIGHT = "right-Secret-4711";
    private static final String WRONG = "wrong-Secret-0815";

    @Test
    void aRotatedPasswordFileIsUsedAfterSighupAndNoSecretLeaks() throws Exception {
        try (SaslLibvirtd libvirtd = SaslLibvirtd.start("vmprov", RIGHT)) {
            Path secrets = Files.createTempDirectory("vmprov-secrets");
            Files.writeString(secrets.resolve("wrong"), WRONG + "\n");
            Files.writeString(secrets.resolve("right"), RIGHT + "\n");
            Path link = secrets.resolve("password");
            Files.createSymbolicLink(link, secrets.resolve("wrong"));

            Map<String, String> env = Map.of("LIBVIRT_USERNAME", "vmprov",
                    "LIBVIRT_PASSWORD_FILE", link.toString(),
                    "LIBVIRT_PASSWORD", "env-Secret-1234", // the file wins; this one must never show either
                    "VMPROV_LOG_LEVEL", "TRACE", "CAMEL_LOG_LEVEL", "DEBUG");
            List<String> outputs = new ArrayList<>();
            try (VmprovProcess run = VmprovProcess.runLocal(env, "--libvirt-uri", libvirtd.uri())) {
                assertThat(run.output()).contains("refused the credentials");

                Result refused = submit(run, "create", "auth-vm-1");
                assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
                assertThat(refused.stdout()).contains("\"state\":\"failed\"").contains("VIR_ERR_AUTH_FAILED")
                        .contains("send SIGHUP");

                Path next = secrets.resolve("next");
                Files.createSymbolicLink(next, secrets.resolve("right"));
                Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                run.signal("HUP");
                run.awaitOutput(line -> line.contains("the password changed"), 30);
                assertThat(run.isAlive()).as("SIGHUP does not end the process").isTrue();

                Result created = submit(run, "create", "auth-vm-2");
                assertThat(created.exit()).as(created.toString()).isZero();
                assertThat(created.stdout()).contains("\"state\":\"running\"");

                Files.delete(link);
                run.signal("HUP");
                run.awaitOutput(line -> line.contains("keeping the previous password"), 30);
                Result stillWorks = submit(run, "stop", "auth-vm-2");
                assertThat(stillWorks.exit()).as(stillWorks.toString()).isZero();
                outputs.addAll(List.of(refused.stdout(), refused.stderr(), created.stdout(), created.stderr()));
                outputs.add(topic(run, "vm.status"));
                outputs.add(topic(run, "vm.provisioning.dlq"));
                outputs.add(topic(run, "vm.provisioning.requests"));
                run.close();
                outputs.add(run.output());

                String store = dumpStore(run.workDir.resolve("data/vmprov"));
                outputs.add(store);
                assertThat(store).contains("{\"username\":\"vmprov\",\"passwordSupplied\":true,"
                        + "\"passwordSource\":\"file\",\"passwordFile\":\"" + link + "\"}");
                try (Stream<Path> files = Files.walk(run.workDir.resolve("data"))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        outputs.add(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                }
            }
            String everything = String.join("\n", outputs);
            assertThat(everything).contains("auth-vm-2").contains("DEBUG");
            for (String secret : List.of(RIGHT, WRONG, "env-Secret-1234")) {
                assertThat(everything).as("no output holds the password").doesNotContain(secret);
            }
        }
    }

    private static Result submit(VmprovProcess run, String action, String name) throws Exception {
        return VmprovProcess.jar(run.workDir, Map.of(), "submit", "--bootstrap-servers", run.bootstrapServers(),
                "--action", action, "--name", name, "--wait", "--timeout", "60");
    }

    /** Every record of a topic, with a plain consumer in this JVM. */
    private static String topic(VmprovProcess run, String topic) {
        var props = new java.util.Properties();
        props.put("bootstrap.servers", run.bootstrapServers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic, java.time.Duration.ofSeconds(20)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            StringBuilder all = new StringBuilder();
            var ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(r -> all.append(r.key()).append(' ')
                        .append(r.value()).append('\n'));
            }
            return all.toString();
        }
    }

    private static String dumpStore(Path h2File) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + h2File);
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM runtime_vm_instances")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    all.append(rs.getObject(i)).append('|');
                }
                all.append('\n');
            }
        }
        return all.toString();
    }
}

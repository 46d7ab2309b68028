package dev.vmprov.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmprov.support.VmprovProcess;
import dev.vmprov.support.VmprovProcess.Result;

/**
 * The packaged jar as an operator runs it: {@code java -jar target/vmprov.jar run --local} in its own process,
 * requests published with the jar's {@code submit} (and with kcat where it is installed), outcomes read back.
 */
class PackagedJarIT {

    private static VmprovProcess pipeline;

    @BeforeAll
    static void startLocalPipeline() throws Exception {
        pipeline = VmprovProcess.runLocal(Map.of());
    }

    @AfterAll
    static void stopLocalPipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Result jar(Map<String, String> env, String... args) throws Exception {
        return VmprovProcess.jar(pipeline.workDir, env, args);
    }

    @Test
    void runLocalWritesItsDataUnderTheWorkingDirectory() {
        assertThat(pipeline.workDir.resolve("data/kafka/cluster.id")).exists();
        assertThat(pipeline.workDir.resolve("data/vmprov.mv.db")).exists();
        assertThat(pipeline.output()).contains("local Kafka broker listening on " + pipeline.bootstrapServers());
    }

    @Test
    void submitWithWaitSeesTheVmRunning() throws Exception {
        Result create = jar(Map.of(), "submit", "--bootstrap-servers", pipeline.bootstrapServers(),
                "--action", "create", "--name", "jar-vm", "--memory-mib", "256", "--wait", "--timeout", "60");
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(create.stdout()).contains("\"state\":\"running\"").contains("\"memoryMiB\":256");
        assertThat(create.stderr()).contains("jar-vm accepted").contains("jar-vm defined").contains("jar-vm running");

        Path file = Files.createTempFile(pipeline.workDir, "request", ".json");
        Files.writeString(file, "{\"action\":\"delete\",\"name\":\"jar-vm\"}");
        Result delete = jar(Map.of(), "submit", "--bootstrap-servers", pipeline.bootstrapServers(), "--file",
                file.toString(), "--wait");
        assertThat(delete.exit()).as(delete.toString()).isZero();
        assertThat(delete.stdout()).contains("\"state\":\"deleted\"");
    }

    @Test
    void aFailedOutcomeExitsOne() throws Exception {
        Result start = jar(Map.of(), "submit", "--bootstrap-servers", pipeline.bootstrapServers(),
                "--action", "start", "--name", "no-such-vm", "--wait", "--timeout", "60");
        assertThat(start.exit()).as(start.toString()).isEqualTo(1);
        assertThat(start.stdout()).contains("\"state\":\"failed\"").contains("send create first");
    }

    @Test
    void submitRejectsAnInvalidRequestBeforePublishing() throws Exception {
        Result bad = jar(Map.of(), "submit", "--bootstrap-servers", pipeline.bootstrapServers(),
                "--action", "create", "--name", "bad name", "--vcpus", "0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.stderr()).contains("$.name: 'bad name' is not a valid VM name")
                .contains("$.resources.vcpus: 0 is out of range");
    }

    @Test
    void invalidConfigurationStopsStartupNamingEveryProblem() throws Exception {
        Result run = jar(Map.of("VM_PROVISIONER_DRIVER", "libvirt", "LIBVIRT_DEFAULT_MEMORY_MIB", "plenty",
                "LIBVIRT_DEFAULT_ISOLATION_TIER", "gold"), "run");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.stderr()).contains("LIBVIRT_DEFAULT_MEMORY_MIB: found 'plenty'")
                .contains("LIBVIRT_DEFAULT_ISOLATION_TIER: found 'gold'");
    }

    @Test
    void aSecondLocalRunOnTheSamePortsSaysWhichPortIsTaken() throws Exception {
        Result second = VmprovProcess.jar(pipeline.workDir, Map.of("VMPROV_HTTP_PORT",
                Integer.toString(pipeline.httpPort)), "run", "--local", "--kafka-port",
                Integer.toString(pipeline.kafkaPort), "--data-dir", "data-second");
        assertThat(second.exit()).isEqualTo(4);
        assertThat(second.stderr()).contains("port " + pipeline.kafkaPort + " on 127.0.0.1 is already in use")
                .contains("--kafka-port");
    }

    @Test
    void theDefaultHttpDriverWithoutItsUrlStopsStartupWithWhatToSet() throws Exception {
        Result run = VmprovProcess.jar(pipeline.workDir, Map.of("VM_PROVISIONER_DRIVER", ""), "run");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.stderr()).contains("VMPROV_HYPERVISOR_API_URL: found nothing, expected the legacy hypervisor"
                + " API's base URL").contains("or set VM_PROVISIONER_DRIVER=libvirt");
    }

    @Test
    void everyInvalidVariableIsReportedAtOnceByTheRealEntryPoint() throws Exception {
        Result run = jar(Map.ofEntries(
                Map.entry("VM_PROVISIONER_DRIVER", "libvirt"),
                Map.entry("LIBVIRT_CONNECTION_URI", "not a uri"),
                Map.entry("LIBVIRT_PASSWORD", "hunter2-never-shown"),
                Map.entry("LIBVIRT_PASSWORD_FILE", "/no/such/password"),
                Map.entry("LIBVIRT_DEFAULT_ISOLATION_TIER", "gold"),
                Map.entry("LIBVIRT_DEFAULT_MEMORY_MIB", "8"),
                Map.entry("LIBVIRT_DEFAULT_VCPU_COUNT", "many"),
                Map.entry("LIBVIRT_LOG_TAIL", "0"),
                Map.entry("LIBVIRT_NETWORK_TEMPLATE", "{\"@type\":\"wifi\"}"),
                Map.entry("LIBVIRT_VOLUME_TEMPLATE", "{\"path\":\"/images/boot.img\"}"),
                Map.entry("LIBVIRT_GPU_POLICY", "{\"enabled\":true,\"devices\":[\"gpu0\"]}"),
                Map.entry("LIBVIRT_CONSOLE_SOURCE", "vga"),
                Map.entry("VMPROV_STORE_URL", "jdbc:mysql://db/x?password=store-secret")), "run");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.stderr()).contains("LIBVIRT_CONNECTION_URI: found 'not a uri'")
                .contains("LIBVIRT_PASSWORD_FILE: found '/no/such/password' (no such file)")
                .contains("LIBVIRT_DEFAULT_ISOLATION_TIER: found 'gold'")
                .contains("LIBVIRT_DEFAULT_MEMORY_MIB: found '8'")
                .contains("LIBVIRT_DEFAULT_VCPU_COUNT: found 'many'")
                .contains("LIBVIRT_LOG_TAIL: found '0'")
                .contains("LIBVIRT_NETWORK_TEMPLATE $.@type: found '\"wifi\"'")
                .contains("LIBVIRT_VOLUME_TEMPLATE $.path: found '/images/boot.img', expected a path containing {name}")
                .contains("LIBVIRT_GPU_POLICY $.devices[0]: found '\"gpu0\"'")
                .contains("LIBVIRT_CONSOLE_SOURCE: found 'vga'")
                .contains("VMPROV_STORE_URL: found 'jdbc:mysql://db/x?password=***'")
                .doesNotContain("hunter2-never-shown").doesNotContain("store-secret");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aMissingLibvirtLibraryIsAClearStartupErrorNamingThePackage() throws Exception {
        // JNA is pointed at empty directories, so libvirt.so.0 cannot be found, as on a host without libvirt0.
        Result run = VmprovProcess.jar(pipeline.workDir, Map.of("VM_PROVISIONER_DRIVER", "libvirt",
                "LIBVIRT_CONNECTION_URI", "test:///default"), List.of("-Djna.platform.library.path=/nonexistent",
                "-Djna.library.path=/nonexistent"), "run");
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.stderr()).contains("the libvirt client library (libvirt.so.0) cannot be loaded: install the"
                + " Debian/Ubuntu package 'libvirt0'");
    }

    @Test
    void kcatCanPublishARequestAndReadRunning() throws Exception {
        Assumptions.assumeTrue(onPath("kcat"), "kcat is not installed (.ci/run installs it)");
        String broker = pipeline.bootstrapServers();
        String request = "kcat-vm:{\"requestId\":\"kcat-1\",\"action\":\"create\",\"name\":\"kcat-vm\"}";
        Process produce = new ProcessBuilder("kcat", "-b", broker, "-t", "vm.provisioning.requests", "-P", "-K:")
                .redirectErrorStream(true).start();
        produce.getOutputStream().write((request + "\n").getBytes(StandardCharsets.UTF_8));
        produce.getOutputStream().close();
        assertThat(produce.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(produce.exitValue()).isZero();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String seen = "";
        while (System.nanoTime() < deadline && !seen.contains("\"requestId\":\"kcat-1\",\"action\":\"create\","
                + "\"name\":\"kcat-vm\",\"state\":\"running\"")) {
            Process consume = new ProcessBuilder("kcat", "-b", broker, "-t", "vm.status", "-C", "-e", "-q",
                    "-f", "%k %s\\n").start();
            seen = new String(consume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            consume.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(seen).contains("kcat-vm {\"requestId\":\"kcat-1\",\"action\":\"create\",\"name\":\"kcat-vm\","
                + "\"state\":\"running\"");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

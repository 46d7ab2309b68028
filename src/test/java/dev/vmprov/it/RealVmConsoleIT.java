package dev.vmprov.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vmprov.console.ConsoleTail;
import dev.vmprov.support.BootSector;
import dev.vmprov.support.PipelineHarness;
import dev.vmprov.support.QemuLibvirtd;
import dev.vmprov.support.TestKafka;
import dev.vmprov.support.TopicReader;
import dev.vmprov.support.VmprovProcess;

/**
 * A real VM: libvirtd + QEMU (TCG) started by the test, a boot-sector guest generated here that prints a distinct
 * first line and then numbered lines on COM1. Through Kafka end to end: create -> running -> its console lines
 * on vm.console from the very first one -> tail -> stop (stream closed) -> delete; then many lifecycles without
 * leaked threads or file descriptors, and a restart of vmprov while the VM runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealVmConsoleIT {

    private static QemuLibvirtd libvirtd;
    private static PipelineHarness harness;
    private static Path images;
    private static Path logs;
    private static final String VM = "realvm-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void start() throws Exception {
        libvirtd = QemuLibvirtd.start();
        libvirtd.removeDomains("realvm-"); // left by an interrupted earlier run
        Path dir = Files.createTempDirectory("vmprov-realvm");
        images = dir.resolve("images");
        logs = Files.createDirectories(Path.of("/var/log/libvirt/qemu/vmprov-it-" + VM));
        harness = new PipelineHarness(Map.of(
                "LIBVIRT_CONNECTION_URI", "qemu:///system",
                "VMPROV_DOMAIN_TYPE", "qemu",
                "LIBVIRT_DEFAULT_ISOLATION_TIER", "standard", // hardened locks memory: not permitted in our sandbox
                "LIBVIRT_DEFAULT_MEMORY_MIB", "16",
                "LIBVIRT_NETWORK_TEMPLATE", "none",
                "LIBVIRT_VOLUME_TEMPLATE", "{\"path\":\"" + images + "/{name}.img\",\"driver\":{\"type\":\"raw\"},"
                        + "\"bus\":\"ide\"}",
                "LIBVIRT_CONSOLE_SOURCE", "{\"type\":\"pty\",\"logDirectory\":\"" + logs + "\"}",
                "LIBVIRT_LOG_TAIL", "50",
                "VMPROV_STOP_TIMEOUT_SECONDS", "1")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (libvirtd != null) {
            libvirtd.close();
        }
    }

    private static List<JsonNode> consoleEvents(TopicReader reader, String name) {
        return reader.json().stream().filter(e -> e.path("name").asText().equals(name)).toList();
    }

    @Test
    @Order(1)
    void aBootingGuestsConsoleStreamsFromItsFirstLineAndCanBeTailed() throws Exception {
        BootSector.writeImage(images.resolve(VM + ".img"), 400);
        TopicReader console = new TopicReader(harness.console);
        long t0 = System.nanoTime();
        String create = harness.request("create", VM, null);
        console.awaitRecords(r -> r.stream().anyMatch(x -> VM.equals(x.key())), Duration.ofSeconds(60),
                "the first console line of " + VM);
        long firstLineMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        JsonNode running = harness.awaitTerminal(Duration.ofSeconds(60), create).get(0);
        assertThat(running.get("state").asText()).as(running.toString()).isEqualTo("running");
        System.out.println("MEASURED create request -> first console line event: " + firstLineMillis + " ms");

        console.awaitRecords(r -> r.stream().filter(x -> VM.equals(x.key())).count() >= 11, Duration.ofSeconds(30),
                "eleven console lines");
        List<JsonNode> lines = consoleEvents(console, VM);
        assertThat(lines.get(0).get("line").asText()).as("the very first line the guest printed")
                .isEqualTo(BootSector.FIRST_LINE);
        assertThat(lines.get(0).get("seq").asLong()).isEqualTo(1);
        String session = lines.get(0).get("session").asText();
        for (int i = 1; i < 11; i++) {
            assertThat(lines.get(i).get("line").asText()).isEqualTo(String.format("%s%03d", BootSector.LINE_PREFIX, i));
            assertThat(lines.get(i).get("seq").asLong()).isEqualTo(i + 1);
            assertThat(lines.get(i).get("session").asText()).isEqualTo(session);
        }

        ConsoleTail.Tail tail = harness.pipeline().consoleTail().tail(VM, 5).orElseThrow();
        assertThat(tail.source()).isEqualTo("log-file");
        assertThat(tail.logFile()).isEqualTo(logs + "/" + VM + "-serial.log");
        assertThat(tail.lines()).hasSize(5).allSatisfy(l -> assertThat(l).startsWith(BootSector.LINE_PREFIX));
        ConsoleTail.Tail capped = harness.pipeline().consoleTail().tail(VM, 100_000).orElseThrow();
        assertThat(capped.requested()).isEqualTo(50);
        assertThat(capped.lines()).hasSizeLessThanOrEqualTo(50).first().isEqualTo(BootSector.FIRST_LINE);

        // the CLI, as a person runs it: from the log file through libvirt, and from the console topic
        Map<String, String> env = Map.of("LIBVIRT_CONNECTION_URI", "qemu:///system",
                "KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers(), "VMPROV_CONSOLE_TOPIC", harness.console,
                "VMPROV_API_URL", "http://127.0.0.1:1");
        Path work = Files.createTempDirectory("vmprov-cli");
        VmprovProcess.Result fromApi = VmprovProcess.jar(work, env, "logs", VM, "--tail", "2", "--api", harness.api());
        assertThat(fromApi.exit()).as(fromApi.toString()).isZero();
        assertThat(fromApi.stdout().lines().toList()).hasSize(2);
        VmprovProcess.Result fromFile = VmprovProcess.jar(work, env, "logs", VM, "--tail", "3", "--source", "file");
        assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
        assertThat(fromFile.stdout().lines().toList()).hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith(BootSector.LINE_PREFIX));
        VmprovProcess.Result fromKafka = VmprovProcess.jar(work, env, "logs", VM, "--tail", "4", "--source", "kafka");
        assertThat(fromKafka.exit()).as(fromKafka.toString()).isZero();
        assertThat(fromKafka.stdout().lines().toList()).hasSize(4);

        ProcessBuilder followCommand = new ProcessBuilder(VmprovProcess.java(), "-jar",
                VmprovProcess.JAR.toAbsolutePath().toString(), "logs", VM, "--tail", "1", "--follow", "--source",
                "kafka").directory(work.toFile());
        followCommand.environment().putAll(env);
        Process follow = followCommand.start();
        follow.getOutputStream().close();
        List<String> followed = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (followed.size() < 3 && (line = in.readLine()) != null) {
                followed.add(line);
            }
        } finally {
            follow.destroy();
            follow.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(followed).hasSize(3).allSatisfy(l -> assertThat(l).startsWith(BootSector.LINE_PREFIX));
        int first = Integer.parseInt(followed.get(0).substring(BootSector.LINE_PREFIX.length()));
        assertThat(followed.get(2)).isEqualTo(String.format("%s%03d", BootSector.LINE_PREFIX, first + 2));

        String stop = harness.request("stop", VM, null);
        assertThat(harness.awaitTerminal(Duration.ofSeconds(60), stop).get(0).get("state").asText())
                .isEqualTo("stopped");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (harness.pipeline().consoles().isStreaming(VM) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(harness.pipeline().consoles().isStreaming(VM)).as("the stream closes with the domain").isFalse();
        String delete = harness.request("delete", VM, null);
        assertThat(harness.awaitTerminal(Duration.ofSeconds(60), delete).get(0).get("state").asText())
                .isEqualTo("deleted");
        console.close();
    }

    @Test
    @Order(2)
    void manyLifecyclesLeakNoThreadsOrFileDescriptors() throws Exception {
        String name = VM + "-cycle";
        BootSector.writeImage(images.resolve(name + ".img"), 50);
        cycle(name); // warm-up: connections, producer, pools
        long fdsBefore = openFileDescriptors();
        int threadsBefore = Thread.activeCount();
        int cycles = 6;
        for (int i = 0; i < cycles; i++) {
            cycle(name);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (harness.pipeline().consoles().activeSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(harness.pipeline().consoles().activeSessions()).as("console sessions left").isZero();
        System.out.println("MEASURED after " + cycles + " lifecycles: fds " + fdsBefore + " -> " + openFileDescriptors()
                + ", threads " + threadsBefore + " -> " + Thread.activeCount());
        assertThat(openFileDescriptors()).isLessThanOrEqualTo(fdsBefore + 5);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
    }

    private static void cycle(String name) {
        String create = harness.request("create", name, null);
        String delete = harness.request("delete", name, null);
        List<JsonNode> outcome = harness.awaitTerminal(Duration.ofSeconds(60), create, delete);
        assertThat(outcome).extracting(e -> e.get("state").asText()).containsExactly("running", "deleted");
    }

    private static long openFileDescriptors() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    @Order(3)
    void consolesOfDomainsAlreadyRunningAreAttachedWhenVmprovStarts() throws Exception {
        String name = VM + "-restart";
        BootSector.writeImage(images.resolve(name + ".img"), 400);
        String create = harness.request("create", name, null);
        harness.awaitTerminal(Duration.ofSeconds(60), create);
        TopicReader console = new TopicReader(harness.console);
        console.awaitRecords(r -> r.stream().filter(x -> name.equals(x.key())).count() >= 2, Duration.ofSeconds(30),
                "lines before the restart");
        harness.stopPipeline();
        harness.start();
        List<ConsumerRecord<String, String>> after = console.awaitRecords(r -> r.stream()
                .filter(x -> name.equals(x.key())).map(x -> TopicReader.parse(x.value()).get("session").asText())
                .distinct().count() >= 2, Duration.ofSeconds(30), "a second console session after the restart");
        assertThat(after).isNotEmpty();
        String delete = harness.request("delete", name, null);
        harness.awaitTerminal(Duration.ofSeconds(60), delete);
        console.close();
    }

    @Test
    @Order(4)
    void aDomainStartedOutsideVmprovGetsItsConsoleAttached() throws Exception {
        String name = VM + "-virsh";
        BootSector.writeImage(images.resolve(name + ".img"), 400);
        harness.awaitTerminal(Duration.ofSeconds(60), harness.request("create", name, null));
        harness.awaitTerminal(Duration.ofSeconds(60), harness.request("stop", name, null));
        TopicReader console = new TopicReader(harness.console);
        long before = consoleEvents(console, name).size();
        org.libvirt.Connect own = new org.libvirt.Connect("qemu:///system"); // as `virsh start` would
        try {
            own.domainLookupByName(name).create();
        } finally {
            own.close();
        }
        console.awaitRecords(r -> r.stream().filter(x -> name.equals(x.key())).count() >= before + 3,
                Duration.ofSeconds(30), "console lines of a domain started outside vmprov");
        harness.awaitTerminal(Duration.ofSeconds(60), harness.request("delete", name, null));
        console.close();
    }

    @Test
    @Order(5)
    void aLibvirtdRestartReopensTheConnectionAndTheConsoleStream() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(libvirtd.ownsDaemon(),
                "a libvirtd this test did not start cannot be restarted by it");
        String name = VM + "-daemon";
        BootSector.writeImage(images.resolve(name + ".img"), 400);
        harness.awaitTerminal(Duration.ofSeconds(60), harness.request("create", name, null));
        TopicReader console = new TopicReader(harness.console);
        console.awaitRecords(r -> r.stream().filter(x -> name.equals(x.key())).count() >= 2, Duration.ofSeconds(30),
                "lines before the daemon restart");
        libvirtd.restart();
        long before = consoleEvents(console, name).size();
        List<ConsumerRecord<String, String>> after = console.awaitRecords(r -> r.stream()
                .filter(x -> name.equals(x.key())).count() >= before + 5, Duration.ofSeconds(30),
                "lines after the daemon restart");
        List<JsonNode> lines = consoleEvents(console, name);
        assertThat(lines.stream().map(l -> l.get("session").asText()).distinct()).as("the same session, reopened")
                .hasSize(1);
        assertThat(after).isNotEmpty();
        String stop = harness.request("stop", name, null);
        assertThat(harness.awaitTerminal(Duration.ofSeconds(60), stop).get(0).get("state").asText())
                .as("the shared connection was reopened").isEqualTo("stopped");
        harness.awaitTerminal(Duration.ofSeconds(60), harness.request("delete", name, null));
        console.close();
    }
}

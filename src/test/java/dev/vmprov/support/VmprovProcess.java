package dev.vmprov.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged jar run as its own process, as an operator runs it: {@code run --local}, and one-shot commands. */
public final class VmprovProcess implements AutoCloseable {

    public static final Path JAR = Path.of(System.getProperty("vmprov.jar", "target/vmprov.jar"));

    public final int kafkaPort;
    public final int httpPort;
    public final Path workDir;
    private final Process process;
    private final List<String> output = new ArrayList<>();

    private VmprovProcess(int kafkaPort, int httpPort, Path workDir, Process process) {
        this.kafkaPort = kafkaPort;
        this.httpPort = httpPort;
        this.workDir = workDir;
        this.process = process;
    }

    /** Starts {@code run --local} on a free port in a new working directory and waits until it consumes. */
    public static VmprovProcess runLocal(Map<String, String> env, String... extraArgs) throws Exception {
        assertThat(JAR).as("the packaged jar (mvn package)").exists();
        int port = freePort();
        int httpPort = freePort();
        Path workDir = Files.createTempDirectory("vmprov-run");
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString(), "run",
                "--local", "--kafka-port", Integer.toString(port)));
        command.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().remove("VMPROV_ROUTES");
        pb.environment().put("VMPROV_HTTP_PORT", Integer.toString(httpPort));
        pb.environment().putAll(env);
        VmprovProcess run = new VmprovProcess(port, httpPort, workDir, pb.start());
        Thread reader = new Thread(run::readOutput, "vmprov-output");
        reader.setDaemon(true);
        reader.start();
        run.awaitOutput(line -> line.startsWith("vmprov: consuming"), 120);
        return run;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Waits for a line of the process's output (stdout and stderr) that matches. */
    public void awaitOutput(Predicate<String> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (output) {
            while (output.stream().noneMatch(match)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || (!process.isAlive() && output.stream().noneMatch(match))) {
                    throw new AssertionError("no matching output line (process alive: " + process.isAlive()
                            + "); output:\n" + String.join("\n", output));
                }
                output.wait(Math.min(left, 200));
            }
        }
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String api() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Sends a signal by name (HUP, TERM) with kill(1). */
    public void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** SIGTERM, then waits for a clean stop. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    /** One command of the jar: exit code, stdout and stderr. */
    public record Result(int exit, String stdout, String stderr) {
    }

    public static Result jar(Path workDir, Map<String, String> env, String... args) throws Exception {
        return jar(workDir, env, List.of(), args);
    }

    public static Result jar(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().remove("VMPROV_ROUTES");
        pb.environment().putAll(env);
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

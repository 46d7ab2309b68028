package dev.vmprov.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.vmprov.Vmprov;
import dev.vmprov.config.ConfigException;
import dev.vmprov.config.Credentials;
import dev.vmprov.config.VmprovConfig;
import dev.vmprov.console.ConsoleHistory;
import dev.vmprov.console.ConsoleLine;
import dev.vmprov.console.ConsoleTail;
import dev.vmprov.console.KafkaConsoleReader;
import dev.vmprov.libvirt.LibvirtConnection;

/**
 * {@code vmprov logs NAME [--tail N] [--follow]}: the last console lines of a VM, from the serial log file when
 * libvirt (LIBVIRT_CONNECTION_URI) runs on this host and the file is readable, otherwise from the console topic;
 * {@code --follow} then prints new lines from the console topic until interrupted.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the last console lines of a VM, and follow new ones with --follow.")
public class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The VM name.")
    String name;

    @Option(names = {"-n", "--tail"}, description = "How many lines (default and maximum: $LIBVIRT_LOG_TAIL or 200).")
    Integer tail;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines from the console topic.")
    boolean follow;

    @Option(names = "--source", defaultValue = "auto", description = "auto (the API, else the log file, else Kafka),"
            + " api, file or kafka.")
    String source;

    /** --api and --json, as on the other API commands (--json: the tail as JSON, from the API or the log file). */
    @picocli.CommandLine.Mixin
    ApiCommands.ApiOptions options;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS"
            + " or localhost:9092).")
    String bootstrapServers;

    @Option(names = "--topic", description = "Console topic (default: $VMPROV_CONSOLE_TOPIC or vm.console).")
    String topic;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = System.getenv();
        int max = maxLines(env);
        int count = tail == null || tail <= 0 ? max : Math.min(tail, max);
        String servers = first(bootstrapServers, env.get("KAFKA_BOOTSTRAP_SERVERS"), "localhost:9092");
        String consoleTopic = first(topic, env.get("VMPROV_CONSOLE_TOPIC"), "vm.console");

        boolean printed = false;
        if (source.equals("auto") || source.equals("api")) {
            try {
                ApiClient.Answer answer = ApiClient.fromEnvironment(options.api)
                        .get("/api/v1/vms/" + name + "/console?tail=" + count);
                if (!answer.ok()) {
                    err.println("vmprov logs: " + answer.error());
                    return answer.exitCode();
                }
                if (options.json) {
                    out.println(answer.body());
                } else {
                    answer.body().path("lines").forEach(l -> out.println(l.asText()));
                }
                printed = true;
            } catch (ApiClient.Unreachable e) {
                if (source.equals("api")) {
                    err.println("vmprov logs: " + e.getMessage());
                    return Vmprov.EXIT_UNAVAILABLE;
                }
            }
        }
        if (!printed && !source.equals("kafka") && !source.equals("api")) {
            ConsoleTail.Tail fromFile = fileTail(env, count);
            if (fromFile != null && fromFile.source().equals("log-file")) {
                if (options.json) {
                    out.println(ApiClient.JSON.writeValueAsString(fromFile));
                } else {
                    fromFile.lines().forEach(out::println);
                }
                printed = true;
            } else if (source.equals("file")) {
                err.println("vmprov logs: no readable serial log file for " + name + " through "
                        + env.getOrDefault("LIBVIRT_CONNECTION_URI", "qemu:///system"));
                return Vmprov.EXIT_UNAVAILABLE;
            }
        }
        if (printed && !follow) {
            out.flush();
            return Vmprov.EXIT_OK;
        }
        try (KafkaConsoleReader reader = new KafkaConsoleReader(servers, consoleTopic, name)) {
            List<ConsoleLine> last = reader.last(count);
            if (!printed) {
                last.forEach(l -> out.println(l.line()));
            }
            out.flush();
            if (follow) {
                AtomicBoolean stop = new AtomicBoolean();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
                reader.follow(l -> {
                    out.println(l.line());
                    out.flush();
                }, stop::get);
            }
            return Vmprov.EXIT_OK;
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            err.println("vmprov logs: " + e.getMessage());
            return Vmprov.EXIT_UNAVAILABLE;
        }
    }

    /** The tail from the serial log file through libvirt, or null when libvirt cannot be reached. */
    private ConsoleTail.Tail fileTail(Map<String, String> env, int count) {
        String uri = env.getOrDefault("LIBVIRT_CONNECTION_URI", "qemu:///system");
        Credentials credentials;
        try {
            credentials = VmprovConfig.fromEnvironment(env, Map.of("VM_PROVISIONER_DRIVER", "libvirt"))
                    .credentials();
        } catch (ConfigException e) {
            credentials = Credentials.NONE;
        }
        try (LibvirtConnection connection = new LibvirtConnection(uri, credentials)) {
            return new ConsoleTail(connection, new ConsoleHistory(1), count).tail(name, count).orElse(null);
        } catch (RuntimeException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return null;
        }
    }

    private static int maxLines(Map<String, String> env) {
        try {
            int value = Integer.parseInt(env.getOrDefault("LIBVIRT_LOG_TAIL", "200").trim());
            return value >= 1 && value <= VmprovConfig.MAX_LOG_TAIL ? value : 200;
        } catch (NumberFormatException e) {
            return 200;
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}

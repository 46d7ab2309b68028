package dev.vmprov.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vmprov.support.VmprovProcess;
import dev.vmprov.support.VmprovProcess.Result;

/** Every CLI subcommand, run from the packaged jar against a running pipeline with a bearer token set. */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "cli-token-42";
    private static VmprovProcess pipeline;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        pipeline = VmprovProcess.runLocal(Map.of("VMPROV_API_TOKEN", TOKEN));
        env = Map.of("VMPROV_API_URL", pipeline.api(), "VMPROV_API_TOKEN", TOKEN,
                "KAFKA_BOOTSTRAP_SERVERS", pipeline.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        pipeline.close();
    }

    private static Result vmprov(String... args) throws Exception {
        return VmprovProcess.jar(pipeline.workDir, env, args);
    }

    private static JsonNode json(Result r) throws Exception {
        return JSON.readTree(r.stdout());
    }

    @Test
    void theLifecycleCommandsWaitForTheirOutcome() throws Exception {
        Result create = vmprov("create", "cli-vm", "--memory-mib", "384", "--vcpus", "2", "--wait", "--json");
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(json(create).get("state").asText()).isEqualTo("running");
        assertThat(json(create).get("memoryMiB").asInt()).isEqualTo(384);
        assertThat(create.stderr()).as("the progress line").contains("cli-vm running");

        Result status = vmprov("status", "cli-vm");
        assertThat(status.exit()).isZero();
        assertThat(status.stdout()).containsPattern("state:\\s+running").containsPattern("memoryMiB:\\s+384");
        assertThat(json(vmprov("status", "cli-vm", "--json")).get("vcpus").asInt()).isEqualTo(2);

        Result list = vmprov("list");
        assertThat(list.exit()).isZero();
        assertThat(list.stdout().lines().findFirst().orElse("")).startsWith("NAME").contains("STATE");
        assertThat(list.stdout()).containsPattern("cli-vm\\s+running\\s+standard\\s+384 MiB\\s+2");
        JsonNode all = json(vmprov("list", "--json"));
        assertThat(all.isArray()).isTrue();
        assertThat(all.findValuesAsText("name")).contains("cli-vm");

        assertThat(vmprov("stop", "cli-vm", "--wait").exit()).isZero();
        Result start = vmprov("start", "cli-vm");
        assertThat(start.exit()).isZero();
        assertThat(start.stdout().trim()).matches("[0-9a-f-]{36}");
        Result reboot = vmprov("reboot", "cli-vm", "--wait", "--json");
        assertThat(reboot.exit()).as(reboot.toString()).isZero();
        assertThat(json(reboot).get("lastAction").asText()).isEqualTo("reboot");

        Result logs = vmprov("logs", "cli-vm", "--tail", "5", "--json");
        assertThat(logs.exit()).as(logs.toString()).isZero();
        assertThat(json(logs).get("requested").asInt()).isEqualTo(5);

        Result delete = vmprov("delete", "cli-vm", "--wait");
        assertThat(delete.exit()).isZero();
        assertThat(delete.stdout()).containsPattern("state:\\s+deleted");
    }

    @Test
    void exitCodesTellWhatWentWrong() throws Exception {
        Result failed = vmprov("create", "test", "--wait"); // the test driver's own domain: already exists
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.stderr()).contains("already exists");

        Result invalid = vmprov("create", "bad name");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.stderr()).contains("is not a valid VM name");

        Result missing = vmprov("status", "no-such-vm");
        assertThat(missing.exit()).isEqualTo(6);
        assertThat(missing.stderr()).contains("no VM named 'no-such-vm'");

        Result unauthorized = VmprovProcess.jar(pipeline.workDir, Map.of("VMPROV_API_URL", pipeline.api(),
                "VMPROV_API_TOKEN", "wrong"), "list");
        assertThat(unauthorized.exit()).isEqualTo(7);

        Result down = VmprovProcess.jar(pipeline.workDir, Map.of(), "list", "--api", "http://127.0.0.1:1");
        assertThat(down.exit()).isEqualTo(4);
        assertThat(down.stderr()).contains("cannot reach the vmprov API at http://127.0.0.1:1");

        Result usage = vmprov("stop");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.stderr()).contains("Missing required parameter");
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Result help = VmprovProcess.jar(Path.of(System.getProperty("java.io.tmpdir")), Map.of(), "--help");
        assertThat(help.exit()).isZero();
        for (String command : new String[] {"run", "create", "start", "stop", "reboot", "delete", "list", "status",
                "logs", "submit"}) {
            assertThat(help.stdout()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
    }
}

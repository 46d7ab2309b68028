package dev.vmprov.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.vmprov.Vmprov;

/** The lifecycle and state commands, all through the HTTP API. */
public final class ApiCommands {

    private ApiCommands() {
    }

    /** --api and --json, shared by every API command. */
    public static class ApiOptions {
        @Option(names = "--api", description = "API base URL (default: $VMPROV_API_URL or http://127.0.0.1:8080).")
        String api;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;
    }

    abstract static class ApiCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions options;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            try {
                return run(ApiClient.fromEnvironment(options.api));
            } catch (ApiClient.Unreachable e) {
                err().println("vmprov " + spec.name() + ": " + e.getMessage());
                return Vmprov.EXIT_UNAVAILABLE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Vmprov.EXIT_FAILED;
            }
        }

        abstract int run(ApiClient api) throws ApiClient.Unreachable, InterruptedException;

        int fail(ApiClient.Answer answer) {
            if (options.json) {
                out().println(answer.body());
            }
            err().println("vmprov " + spec.name() + ": " + answer.error());
            answer.body().path("problems").forEach(p -> {
                if (!p.asText().equals(answer.error())) {
                    err().println("  - " + p.asText());
                }
            });
            return answer.exitCode();
        }
    }

    /** Options of the lifecycle commands: request id and --wait. */
    abstract static class LifecycleCommand extends ApiCommand {
        @Parameters(index = "0", description = "The VM name.")
        String name;

        @Option(names = "--request-id", description = "Idempotency key; a random UUID when left out.")
        String requestId;

        @Option(names = "--wait", description = "Follow the VM until the request reaches a terminal state"
                + " (running, stopped, deleted or failed); exit 1 if it failed.")
        boolean waitForOutcome;

        @Option(names = "--timeout", defaultValue = "300", description = "Seconds to wait with --wait (default:"
                + " ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        abstract ApiClient.Answer submit(ApiClient api, ObjectNode body) throws ApiClient.Unreachable;

        @Override
        int run(ApiClient api) throws ApiClient.Unreachable, InterruptedException {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (requestId != null) {
                body.put("requestId", requestId);
            }
            ApiClient.Answer answer = submit(api, body);
            if (!answer.ok()) {
                return fail(answer);
            }
            String id = answer.body().path("requestId").asText();
            if (!waitForOutcome) {
                if (options.json) {
                    out().println(answer.body());
                } else {
                    out().println(id);
                    err().println("vmprov " + spec.name() + ": accepted " + answer.body().path("action").asText()
                            + " " + name + " (request " + id + ")");
                }
                return Vmprov.EXIT_OK;
            }
            return follow(api, id);
        }

        /** Polls the VM until the request's terminal state, with a progress line on stderr per state. */
        private int follow(ApiClient api, String id) throws ApiClient.Unreachable, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            String lastShown = null;
            while (System.nanoTime() < deadline) {
                ApiClient.Answer vm = api.get("/api/v1/vms/" + name);
                if (vm.ok() && id.equals(vm.body().path("lastRequestId").asText())) {
                    String state = vm.body().path("state").asText();
                    if (!state.equals(lastShown)) {
                        err().println("vmprov " + spec.name() + ": " + name + " " + state);
                        lastShown = state;
                    }
                    if (List.of("running", "stopped", "deleted", "failed").contains(state)) {
                        if (options.json) {
                            out().println(vm.body());
                        } else {
                            printVm(out(), vm.body());
                        }
                        if (state.equals("failed")) {
                            err().println("vmprov " + spec.name() + ": failed: " + vm.body().path("lastError").asText());
                            return Vmprov.EXIT_FAILED;
                        }
                        return Vmprov.EXIT_OK;
                    }
                } else if (!vm.ok() && vm.status() != 404) {
                    return fail(vm);
                }
                Thread.sleep(250);
            }
            err().println("vmprov " + spec.name() + ": request " + id + " reached no terminal state within "
                    + timeoutSeconds + " s");
            return Vmprov.EXIT_TIMEOUT;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create (define and start) a VM.")
    public static class Create extends LifecycleCommand {
        @Mixin
        CreateOptions settings;

        @Override
        ApiClient.Answer submit(ApiClient api, ObjectNode body) throws ApiClient.Unreachable {
            body.put("name", name);
            settings.applyTo(body);
            return api.post("/api/v1/vms", body);
        }
    }

    /** start, stop and reboot: {@code POST /api/v1/vms/{name}/{command name}}. */
    abstract static class PostAction extends LifecycleCommand {
        @Override
        ApiClient.Answer submit(ApiClient api, ObjectNode body) throws ApiClient.Unreachable {
            return api.post("/api/v1/vms/" + name + "/" + spec.name(), body);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a VM.")
    public static class Start extends PostAction {
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a VM (graceful, then forced).")
    public static class Stop extends PostAction {
    }

    @Command(name = "reboot", mixinStandardHelpOptions = true, description = "Reboot a VM.")
    public static class Reboot extends PostAction {
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a VM (destroy, undefine).")
    public static class Delete extends LifecycleCommand {
        @Override
        ApiClient.Answer submit(ApiClient api, ObjectNode body) throws ApiClient.Unreachable {
            return api.delete("/api/v1/vms/" + name, body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the VMs.")
    public static class ListVms extends ApiCommand {
        @Override
        int run(ApiClient api) throws ApiClient.Unreachable {
            ApiClient.Answer answer = api.get("/api/v1/vms");
            if (!answer.ok()) {
                return fail(answer);
            }
            if (options.json) {
                out().println(answer.body());
                return Vmprov.EXIT_OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "STATE", "TIER", "MEMORY", "VCPUS", "GPUS", "UPDATED"});
            for (JsonNode vm : answer.body()) {
                rows.add(new String[] {vm.path("name").asText(), vm.path("state").asText(),
                        vm.path("isolationTier").asText("-"),
                        vm.has("memoryMiB") ? vm.path("memoryMiB").asText() + " MiB" : "-",
                        vm.path("vcpus").asText("-"), String.valueOf(vm.path("gpus").size()),
                        vm.path("updatedAt").asText()});
            }
            printTable(out(), rows);
            return Vmprov.EXIT_OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show one VM.")
    public static class Status extends ApiCommand {
        @Parameters(index = "0", description = "The VM name.")
        String name;

        @Override
        int run(ApiClient api) throws ApiClient.Unreachable {
            ApiClient.Answer answer = api.get("/api/v1/vms/" + name);
            if (!answer.ok()) {
                return fail(answer);
            }
            if (options.json) {
                out().println(answer.body());
            } else {
                printVm(out(), answer.body());
            }
            return Vmprov.EXIT_OK;
        }
    }

    static void printVm(PrintWriter out, JsonNode vm) {
        List<String[]> rows = new ArrayList<>();
        for (String field : List.of("name", "state", "uuid", "isolationTier", "memoryMiB", "vcpus", "gpus", "driver",
                "connectionUri", "credentials", "lastRequestId", "lastAction", "lastError", "createdAt",
                "updatedAt")) {
            JsonNode value = vm.get(field);
            if (value != null && !value.isNull()) {
                rows.add(new String[] {field + ":", value.isValueNode() ? value.asText() : value.toString()});
            }
        }
        printTable(out, rows);
    }

    static void printTable(PrintWriter out, List<String[]> rows) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}

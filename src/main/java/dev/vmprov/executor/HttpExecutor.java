package dev.vmprov.executor;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vmprov.config.VmprovConfig.HypervisorApi;
import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.StatusEvent.DomainFacts;
import dev.vmprov.events.VmState;
import dev.vmprov.request.ProvisioningRequest;

/**
 * The {@code http} driver: the same requests, status events and store rows as the libvirt driver, carried out by
 * the legacy hypervisor HTTP API (contract: docs/legacy-hypervisor-api.md). Transient failures (connection
 * refused, timeouts, 5xx) are retried with exponential backoff; when the API stays out of reach the request is
 * not failed but handed back ({@link RetryLaterException}) and stays on the topic. A 4xx is a {@code failed}
 * status with the API's message.
 */
public class HttpExecutor implements VmExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A 4xx answer: the request cannot succeed as sent. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final HypervisorApi api;
    private final HttpClient http;
    private final String base;
    private final Runnable onRetry;

    public HttpExecutor(HypervisorApi api, Runnable onRetry) {
        this.api = api;
        this.base = api.url().endsWith("/") ? api.url().substring(0, api.url().length() - 1) : api.url();
        this.http = HttpClient.newBuilder().connectTimeout(api.timeout()).build();
        this.onRetry = onRetry;
    }

    @Override
    public String driver() {
        return "http";
    }

    @Override
    public List<StatusEvent> execute(ProvisioningRequest request) {
        List<StatusEvent> events = new ArrayList<>();
        String path = "/vms/" + encode(request.name());
        try {
            switch (request.action()) {
                case CREATE -> {
                    ObjectNode body = body(request);
                    body.put("isolationTier", request.isolationTier().wireName());
                    body.put("memoryMiB", request.memoryMiB());
                    body.put("vcpus", request.vcpus());
                    body.put("gpus", request.gpus() == null ? 0 : request.gpus());
                    JsonNode vm = call("PUT", path, body, request);
                    events.add(event(request, VmState.DEFINED, null, null, vm));
                    String state = vm.path("state").asText();
                    if (state.equals("running")) {
                        events.add(event(request, VmState.RUNNING, null, null, vm));
                    } else {
                        events.add(event(request, VmState.FAILED, "the hypervisor API defined the VM but reports"
                                + " it '" + state + "', not running", null, vm));
                    }
                }
                case START -> events.add(expect(request, call("POST", path + "/start", body(request), request),
                        "running", VmState.RUNNING, null));
                case STOP -> events.add(expect(request, call("POST", path + "/stop", body(request), request),
                        "stopped", VmState.STOPPED, null));
                case REBOOT -> events.add(expect(request, call("POST", path + "/reboot", body(request), request),
                        "running", VmState.RUNNING, "rebooted"));
                case DELETE -> events.add(event(request, VmState.DELETED, null, null,
                        call("DELETE", path, null, request)));
            }
        } catch (Refused e) {
            LOG.warn("{} {} (request {}) failed: {}", request.action().wireName(), request.name(), request.requestId(),
                    e.getMessage());
            events.add(StatusEvent.of(request, driver(), VmState.FAILED, e.getMessage(), null,
                    DomainFacts.of(request)));
        }
        return events;
    }

    /** The last console lines from the API, or empty when it knows no such VM or cannot be reached. */
    public Optional<List<String>> consoleTail(String name, int lines) {
        try {
            HttpResponse<String> r = http.send(request("/vms/" + encode(name) + "/console?tail=" + lines, null)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            List<String> result = new ArrayList<>();
            JSON.readTree(r.body()).path("lines").forEach(l -> result.add(l.asText()));
            return Optional.of(result);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private StatusEvent expect(ProvisioningRequest request, JsonNode vm, String wanted, VmState state, String detail) {
        String reported = vm.path("state").asText();
        if (!reported.equals(wanted)) {
            return event(request, VmState.FAILED, "the hypervisor API reports the VM '" + reported + "', expected '"
                    + wanted + "'", null, vm);
        }
        return event(request, state, null, detail, vm);
    }

    private StatusEvent event(ProvisioningRequest request, VmState state, String reason, String detail, JsonNode vm) {
        List<String> gpus = new ArrayList<>();
        vm.path("gpus").forEach(g -> gpus.add(g.asText()));
        DomainFacts facts = new DomainFacts(text(vm, "isolationTier"),
                vm.hasNonNull("memoryMiB") ? vm.get("memoryMiB").asInt() : request.memoryMiB(),
                vm.hasNonNull("vcpus") ? vm.get("vcpus").asInt() : request.vcpus(),
                gpus.isEmpty() ? null : gpus, text(vm, "uuid"));
        if (facts.isolationTier() == null && request.isolationTier() != null) {
            facts = new DomainFacts(request.isolationTier().wireName(), facts.memoryMiB(), facts.vcpus(), facts.gpus(),
                    facts.uuid());
        }
        return StatusEvent.of(request, driver(), state, reason, detail, facts);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static ObjectNode body(ProvisioningRequest request) {
        return JSON.createObjectNode().put("requestId", request.requestId());
    }

    /**
     * One call with retries: connection failures, timeouts and 5xx are retried up to the configured count with
     * backoff (0.5 s doubling, at most 10 s); then the request is handed back. A 4xx is {@link Refused}.
     */
    private JsonNode call(String method, String path, JsonNode body, ProvisioningRequest request) throws Refused {
        long backoff = 500;
        String lastProblem = null;
        for (int attempt = 0; attempt <= api.retries(); attempt++) {
            if (attempt > 0) {
                onRetry.run();
                LOG.warn("hypervisor API {} {} for {}: {}; retry {} of {} in {} ms", method, path, request.requestId(),
                        lastProblem, attempt, api.retries(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
            HttpResponse<String> response;
            try {
                HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString());
                response = http.send(request(path, request.requestId()).method(method, publisher).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                lastProblem = "no answer within " + api.timeout().toSeconds() + " s";
                continue;
            } catch (IOException e) {
                lastProblem = "cannot reach " + base + " (" + describe(e) + ")";
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryLaterException("interrupted while calling the hypervisor API");
            }
            int status = response.statusCode();
            JsonNode answer = parse(response.body());
            if (status >= 500) {
                lastProblem = "HTTP " + status + " " + answer.path("error").asText("");
                continue;
            }
            if (status >= 400) {
                throw new Refused("hypervisor API: " + answer.path("error").asText("HTTP " + status) + " (HTTP "
                        + status + " on " + method + " " + path + ")");
            }
            return answer;
        }
        throw new RetryLaterException("the hypervisor API is unavailable: " + lastProblem + " after "
                + (api.retries() + 1) + " attempts; the request stays on the topic and is tried again");
    }

    private HttpRequest.Builder request(String path, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(api.timeout())
                .header("Accept", "application/json").header("Content-Type", "application/json");
        if (requestId != null) {
            b.header("Idempotency-Key", requestId);
        }
        if (api.token() != null) {
            b.header("Authorization", "Bearer " + new String(api.token().reveal()));
        }
        return b;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLaterException("interrupted while waiting to retry the hypervisor API");
        }
    }
}

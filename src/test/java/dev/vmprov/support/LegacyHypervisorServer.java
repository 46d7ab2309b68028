package dev.vmprov.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server implementing the legacy hypervisor API contract (docs/legacy-hypervisor-api.md) with
 * in-memory VMs, and switches for the failure cases: answer slowly, answer 5xx for the next N calls, be down.
 * It stands in for the legacy hypervisor, which does not exist on our machines.
 */
public final class LegacyHypervisorServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final int port;
    public final String token;
    private HttpServer server;
    private final Map<String, ObjectNode> vms = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicLong delayNextMillis = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    public final List<String> idempotencyKeys = java.util.Collections.synchronizedList(new ArrayList<>());

    public LegacyHypervisorServer(String token) throws IOException {
        this.port = VmprovProcess.freePort();
        this.token = token;
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/v1/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Down: the port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        server.stop(0);
    }

    public void failNext(int count) {
        failNext.set(count);
    }

    public void delayNext(long millis) {
        delayNextMillis.set(millis);
    }

    public int calls() {
        return calls.get();
    }

    public ObjectNode vm(String name) {
        return vms.get(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        try {
            long delay = delayNextMillis.getAndSet(0);
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 503, error("the hypervisor is busy"));
                return;
            }
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, error("bad credentials"));
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                idempotencyKeys.add(key);
            }
            route(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, error(e.toString()));
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/v1".length());
        String method = exchange.getRequestMethod();
        String[] parts = path.split("/");
        if (path.equals("/health")) {
            send(exchange, 200, JSON.createObjectNode().put("status", "up"));
            return;
        }
        if (parts.length < 3 || !parts[1].equals("vms")) {
            send(exchange, 404, error("no such endpoint " + path));
            return;
        }
        String name = parts[2];
        JsonNode body = read(exchange);
        ObjectNode vm = vms.get(name);
        if (parts.length == 3 && method.equals("PUT")) {
            if (vm != null && !body.path("requestId").asText().equals(vm.path("requestId").asText())) {
                send(exchange, 409, error("a VM named '" + name + "' already exists"));
                return;
            }
            if (body.path("memoryMiB").asInt() > 65536) {
                send(exchange, 422, error("not enough memory on this hypervisor for " + body.path("memoryMiB")
                        + " MiB"));
                return;
            }
            ObjectNode created = JSON.createObjectNode().put("name", name).put("uuid", UUID.randomUUID().toString())
                    .put("state", "running").put("requestId", body.path("requestId").asText())
                    .put("isolationTier", body.path("isolationTier").asText())
                    .put("memoryMiB", body.path("memoryMiB").asInt()).put("vcpus", body.path("vcpus").asInt());
            created.putArray("gpus");
            vms.putIfAbsent(name, created);
            send(exchange, 201, vms.get(name));
            return;
        }
        if (vm == null) {
            send(exchange, 404, error("no VM named '" + name + "'"));
            return;
        }
        if (parts.length == 3 && method.equals("GET")) {
            send(exchange, 200, vm);
        } else if (parts.length == 3 && method.equals("DELETE")) {
            vms.remove(name);
            send(exchange, 200, vm.put("state", "deleted"));
        } else if (parts.length == 4 && method.equals("POST")) {
            switch (parts[3]) {
                case "start" -> vm.put("state", "running");
                case "stop" -> vm.put("state", "stopped");
                case "reboot" -> {
                    if (!vm.path("state").asText().equals("running")) {
                        send(exchange, 409, error("cannot reboot: the VM is not running"));
                        return;
                    }
                }
                default -> {
                    send(exchange, 404, error("no such action " + parts[3]));
                    return;
                }
            }
            send(exchange, 200, vm);
        } else if (parts.length == 4 && parts[3].equals("console") && method.equals("GET")) {
            ObjectNode answer = JSON.createObjectNode();
            answer.putArray("lines").add("legacy console of " + name);
            send(exchange, 200, answer);
        } else {
            send(exchange, 405, error(method + " " + path + " is not part of the contract"));
        }
    }

    private static JsonNode read(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        return raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        stop();
    }
}

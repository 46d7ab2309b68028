package dev.vmprov.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.vmprov.config.Secret;
import dev.vmprov.console.ConsoleTail;
import dev.vmprov.pipeline.PipelineMetrics;
import dev.vmprov.request.InvalidRequestException;
import dev.vmprov.request.ProvisioningRequest;
import dev.vmprov.request.RecordOrigin;
import dev.vmprov.request.RequestParser;
import dev.vmprov.store.VmInstance;
import dev.vmprov.store.VmInstanceStore;

/**
 * The HTTP API behind routes/api.camel.yaml (REST DSL on the platform HTTP server). Reads come from the store and
 * the console tail; lifecycle calls are validated exactly as the pipeline validates and published to Kafka
 * (202 with the request id). Errors are JSON: {"status":..., "error": ..., "problems": [...]}.
 */
public class VmApi {

    private static final Logger LOG = LoggerFactory.getLogger(VmApi.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final List<String> ACTIONS_BY_NAME = List.of("start", "stop", "reboot");

    private final VmInstanceStore instances;
    private final ConsoleTail tail;
    private final RequestPublisher publisher;
    private final Readiness readiness;
    private final PipelineMetrics metrics;
    private final Secret token;
    private final RequestParser parser = new RequestParser();

    public VmApi(VmInstanceStore instances, ConsoleTail tail, RequestPublisher publisher, Readiness readiness,
            PipelineMetrics metrics, Secret token) {
        this.instances = instances;
        this.tail = tail;
        this.publisher = publisher;
        this.readiness = readiness;
        this.metrics = metrics;
        this.token = token;
    }

    /** Every API call but health: a bearer token when VMPROV_API_TOKEN is set. */
    public void authorize(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        if (token == null || path.startsWith("/health") || uri.startsWith("/health")) {
            return;
        }
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                new String(token.reveal()).getBytes(StandardCharsets.UTF_8))) {
            respond(exchange, 401, error(401, "a valid bearer token is required (Authorization: Bearer ...)",
                    List.of()));
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            exchange.setRouteStop(true);
        }
    }

    public void list(Exchange exchange) {
        handle(exchange, () -> ok(instances.list()));
    }

    public void get(Exchange exchange) {
        handle(exchange, () -> {
            String name = name(exchange);
            return instances.find(name).<Object>map(VmApi::ok).orElseGet(() -> notFound(name));
        });
    }

    public void console(Exchange exchange) {
        handle(exchange, () -> {
            String name = name(exchange);
            String tailParam = exchange.getMessage().getHeader("tail", String.class);
            Integer requested = null;
            if (tailParam != null && !tailParam.isBlank()) {
                try {
                    requested = Integer.parseInt(tailParam.trim());
                } catch (NumberFormatException e) {
                    requested = -1;
                }
                if (requested < 1) {
                    return error(400, "tail: found '" + tailParam + "', expected a whole number from 1", List.of());
                }
            }
            Optional<ConsoleTail.Tail> lines = tail.tail(name, requested);
            return lines.<Object>map(VmApi::ok).orElseGet(() -> notFound(name));
        });
    }

    /** POST /api/v1/vms: a create request as JSON; requestId is generated when absent, action may be left out. */
    public void create(Exchange exchange) {
        handle(exchange, () -> {
            Response wrongType = requireJson(exchange);
            if (wrongType != null) {
                return wrongType;
            }
            ObjectNode body;
            try {
                JsonNode parsed = JSON.readTree(exchange.getMessage().getBody(String.class));
                if (parsed == null || !parsed.isObject()) {
                    return error(400, "the body must be a JSON object: a create request (docs/request.schema.json)",
                            List.of());
                }
                body = (ObjectNode) parsed;
            } catch (IOException e) {
                return error(400, "the body is not valid JSON: " + e.getMessage(), List.of());
            }
            if (body.hasNonNull("action") && !"create".equals(body.get("action").asText())) {
                return error(400, "$.action: POST /api/v1/vms creates; use POST /api/v1/vms/{name}/{action} for"
                        + " the others", List.of());
            }
            body.put("action", "create");
            return publish(body);
        });
    }

    /** POST /api/v1/vms/{name}/{start|stop|reboot}; an optional JSON body may carry a requestId. */
    public void action(Exchange exchange) {
        handle(exchange, () -> {
            String action = exchange.getMessage().getHeader("action", String.class);
            if (!ACTIONS_BY_NAME.contains(action)) {
                return error(404, "no such action '" + action + "': expected start, stop or reboot", List.of());
            }
            return lifecycle(exchange, action);
        });
    }

    public void delete(Exchange exchange) {
        handle(exchange, () -> lifecycle(exchange, "delete"));
    }

    private Object lifecycle(Exchange exchange, String action) throws Exception {
        String name = name(exchange);
        Optional<VmInstance> known = instances.find(name);
        if (known.isEmpty() || "deleted".equals(known.get().state())) {
            return notFound(name);
        }
        ObjectNode body = JSON.createObjectNode();
        String raw = exchange.getMessage().getBody(String.class);
        if (raw != null && !raw.isBlank()) {
            Response wrongType = requireJson(exchange);
            if (wrongType != null) {
                return wrongType;
            }
            try {
                JsonNode given = JSON.readTree(raw);
                if (given != null && given.hasNonNull("requestId")) {
                    body.set("requestId", given.get("requestId"));
                }
            } catch (IOException e) {
                return error(400, "the body is not valid JSON: " + e.getMessage(), List.of());
            }
        }
        body.put("action", action);
        body.put("name", name);
        return publish(body);
    }

    private Object publish(ObjectNode body) throws Exception {
        if (!body.hasNonNull("requestId")) {
            body.put("requestId", UUID.randomUUID().toString());
        }
        byte[] payload = JSON.writeValueAsBytes(body);
        ProvisioningRequest request;
        try {
            request = parser.parse(payload, RecordOrigin.local("api"));
        } catch (InvalidRequestException e) {
            return error(400, "invalid request: " + e.problems().get(0), e.problems());
        }
        try {
            publisher.publish(request.name(), payload);
        } catch (RequestPublisher.Unavailable e) {
            return error(503, e.getMessage(), List.of());
        }
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("requestId", request.requestId());
        accepted.put("action", request.action().wireName());
        accepted.put("name", request.name());
        accepted.put("status", "/api/v1/vms/" + request.name());
        return new Response(202, accepted);
    }

    public void live(Exchange exchange) {
        respond(exchange, 200, Map.of("status", "up"));
    }

    public void ready(Exchange exchange) {
        Map<String, String> checks = readiness.check();
        boolean up = checks.values().stream().allMatch("up"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("checks", checks);
        respond(exchange, up ? 200 : 503, body);
    }

    public void metrics(Exchange exchange) {
        Message m = exchange.getMessage();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        m.setBody(metrics.scrape());
    }

    /** The OpenAPI document, the same file as docs/openapi.json. */
    public void openapi(Exchange exchange) throws IOException {
        try (InputStream in = VmApi.class.getResourceAsStream("/docs/openapi.json")) {
            Message m = exchange.getMessage();
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, in == null ? 404 : 200);
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(in == null ? "{}" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private record Response(int status, Object body) {
    }

    @FunctionalInterface
    private interface Handler {
        Object handle() throws Exception;
    }

    private static void handle(Exchange exchange, Handler handler) {
        Object result;
        try {
            result = handler.handle();
        } catch (SQLException e) {
            LOG.warn("the store failed: {}", e.getMessage());
            result = error(503, "the store is not available: " + e.getMessage(), List.of());
        } catch (Exception e) {
            LOG.error("API call failed", e);
            result = error(500, "internal error: " + e.getClass().getSimpleName(), List.of());
        }
        Response response = result instanceof Response r ? r : new Response(200, result);
        respond(exchange, response.status(), response.body());
    }

    private static void respond(Exchange exchange, int status, Object body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*", Exchange.HTTP_RESPONSE_CODE);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            m.setBody(JSON.writeValueAsString(body instanceof Response r ? r.body() : body));
        } catch (IOException e) {
            m.setBody("{\"status\":500,\"error\":\"cannot render the answer\"}");
        }
    }

    /** A body must be sent as application/json (a form-encoded body would be parsed as form fields). */
    private static Response requireJson(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            return error(415, "send the body as JSON with Content-Type: application/json (found "
                    + (type == null ? "no Content-Type" : type) + ")", List.of());
        }
        return null;
    }

    private static Response ok(Object body) {
        return new Response(200, body);
    }

    private static Response notFound(String name) {
        return error(404, "no VM named '" + name + "'", List.of());
    }

    private static Response error(int status, String message, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        body.put("problems", problems);
        return new Response(status, body);
    }

    private static String name(Exchange exchange) {
        return exchange.getMessage().getHeader("name", String.class);
    }
}

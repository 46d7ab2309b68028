package dev.vmprov.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vmprov.config.Secret;
import dev.vmprov.pipeline.PipelineMetrics;
import dev.vmprov.support.PipelineHarness;

/** The HTTP API through a real HTTP client against the running pipeline (real broker, test driver, H2). */
class HttpApiTest {

    private static final String TOKEN = "api-token-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static PipelineHarness harness;

    @BeforeAll
    static void start() {
        harness = new PipelineHarness(Map.of("VMPROV_API_TOKEN", TOKEN)).start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private record Answer(int status, String text, JsonNode json) {
    }

    private static Answer call(String method, String path, String body, String contentType, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(harness.api() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = JSON.readTree(r.body());
        } catch (Exception ignored) {
            // not JSON (metrics)
        }
        return new Answer(r.statusCode(), r.body(), json);
    }

    private static Answer call(String method, String path, String body) throws Exception {
        return call(method, path, body, body == null ? null : "application/json", TOKEN);
    }

    private static JsonNode awaitState(String name, String requestId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode vm = null;
        while (System.nanoTime() < deadline) {
            Answer a = call("GET", "/api/v1/vms/" + name, null);
            if (a.status() == 200 && requestId.equals(a.json().path("lastRequestId").asText())
                    && a.json().path("state").asText().equals(state)) {
                return a.json();
            }
            vm = a.json();
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never reached " + state + " for " + requestId + "; last: " + vm);
    }

    @Test
    void aVmIsCreatedShownStoppedAndDeletedThroughTheApi() throws Exception {
        String name = "api-" + UUID.randomUUID().toString().substring(0, 6);
        Answer created = call("POST", "/api/v1/vms", "{\"name\":\"" + name + "\",\"policy\":{\"isolationTier\":"
                + "\"hardened\"},\"resources\":{\"memoryMiB\":300,\"vcpus\":2}}");
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        String createId = created.json().get("requestId").asText();
        assertThat(createId).matches("[0-9a-f-]{36}");
        assertThat(created.json().get("status").asText()).isEqualTo("/api/v1/vms/" + name);

        JsonNode vm = awaitState(name, createId, "running");
        assertThat(vm.get("memoryMiB").asInt()).isEqualTo(300);
        assertThat(vm.get("isolationTier").asText()).isEqualTo("hardened");
        assertThat(vm.get("credentials").get("passwordSupplied").asBoolean()).isFalse();
        assertThat(vm.get("connectionUri").asText()).isEqualTo("test:///default");

        Answer list = call("GET", "/api/v1/vms", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().findValuesAsText("name")).contains(name);

        Answer stop = call("POST", "/api/v1/vms/" + name + "/stop", "{\"requestId\":\"stop-" + name + "\"}");
        assertThat(stop.status()).isEqualTo(202);
        assertThat(stop.json().get("requestId").asText()).isEqualTo("stop-" + name);
        awaitState(name, "stop-" + name, "stopped");
        Answer start = call("POST", "/api/v1/vms/" + name + "/start", null);
        awaitState(name, start.json().get("requestId").asText(), "running");

        Answer console = call("GET", "/api/v1/vms/" + name + "/console?tail=5", null);
        assertThat(console.status()).isEqualTo(200);
        assertThat(console.json().get("requested").asInt()).isEqualTo(5);
        assertThat(console.json().get("lines").isArray()).isTrue();

        Answer delete = call("DELETE", "/api/v1/vms/" + name, null);
        assertThat(delete.status()).isEqualTo(202);
        awaitState(name, delete.json().get("requestId").asText(), "deleted");
        assertThat(call("POST", "/api/v1/vms/" + name + "/start", null).status()).as("a deleted VM").isEqualTo(404);

        String metrics = call("GET", "/metrics", null).text();
        assertThat(metrics).contains("vmprov_requests_total{action=\"create\",outcome=\"running\"}")
                .contains("vmprov_request_latency_seconds_count{action=\"create\"}")
                .contains("vmprov_console_lines_total").contains("vmprov_dead_letters_total")
                .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"provisioning-requests\"");
    }

    @Test
    void errorsAreJsonWithTheRightStatus() throws Exception {
        Answer invalid = call("POST", "/api/v1/vms", "{\"name\":\"bad name\",\"resources\":{\"vcpus\":0}}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("problems").toString()).contains("$.name: 'bad name' is not a valid VM name")
                .contains("$.resources.vcpus: 0 is out of range");
        assertThat(call("POST", "/api/v1/vms", "{not json").status()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/vms", "{\"name\":\"x\",\"action\":\"delete\"}").status()).isEqualTo(400);
        Answer form = call("POST", "/api/v1/vms", "{\"name\":\"form\"}", "application/x-www-form-urlencoded", TOKEN);
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("error").asText()).contains("Content-Type: application/json");

        Answer unknown = call("POST", "/api/v1/vms/never-created/stop", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no VM named 'never-created'");
        assertThat(call("GET", "/api/v1/vms/never-created", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/vms/never-created/console", null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/vms/never-created", null).status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/vms/never-created/explode", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/vms/x/console?tail=abc", null).status()).isEqualTo(400);
    }

    @Test
    void everyEndpointButHealthNeedsTheToken() throws Exception {
        Answer none = call("GET", "/api/v1/vms", null, null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).contains("bearer token");
        assertThat(call("GET", "/api/v1/vms", null, null, "wrong").status()).isEqualTo(401);
        assertThat(call("GET", "/metrics", null, null, null).status()).isEqualTo(401);
        assertThat(call("POST", "/api/v1/vms", "{\"name\":\"sneaky\"}", "application/json", null).status())
                .isEqualTo(401);
        assertThat(call("GET", "/health/live", null, null, null).status()).isEqualTo(200);
        Answer ready = call("GET", "/health/ready", null, null, null);
        assertThat(ready.status()).as(ready.text()).isEqualTo(200);
        assertThat(ready.json().get("checks").toString()).contains("\"kafka\":\"up\"").contains("\"libvirt\":\"up\"")
                .contains("\"store\":\"up\"");
        assertThat(none.text()).doesNotContain(TOKEN);
    }

    @Test
    void theServedOpenApiDocumentIsTheOneInDocsAndCoversEveryRoute() throws Exception {
        Answer served = call("GET", "/api/v1/openapi.json", null);
        assertThat(served.status()).isEqualTo(200);
        JsonNode docs = JSON.readTree(Files.readString(Path.of("docs/openapi.json")));
        assertThat(served.json()).isEqualTo(docs);
        String routes = Files.readString(Path.of("routes/api.camel.yaml"));
        Matcher rest = Pattern.compile("(?m)^    path: (\\S+)").matcher(routes);
        List<String> bases = rest.results().map(m -> m.group(1)).toList();
        assertThat(bases).containsExactly("/api/v1", "/health", "/metrics");
        Matcher verbs = Pattern.compile("(?m)^      - path: (\\S+)").matcher(routes);
        for (String sub : verbs.results().map(m -> m.group(1)).toList()) {
            String path = bases.stream().filter(b -> !b.equals("/metrics")).map(b -> b + sub)
                    .filter(p -> docs.get("paths").has(p)).findFirst().orElse(null);
            assertThat(path).as("route %s is documented in docs/openapi.json", sub).isNotNull();
        }
        assertThat(docs.get("paths").has("/metrics")).isTrue();
    }

    @Test
    void kafkaOutOfReachIsA503AndReadinessSaysSo() throws Exception {
        // A real Kafka client pointed at a port where no broker listens.
        try (RequestPublisher publisher = new RequestPublisher("127.0.0.1:1", "requests");
             Readiness readiness = new Readiness("127.0.0.1:1", null, harness.pipeline() == null ? null
                     : dataSourceOf(harness))) {
            VmApi api = new VmApi(harness.pipeline().instances(), harness.pipeline().consoleTail(), publisher,
                    readiness, new PipelineMetrics(), (Secret) null);
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody("{\"name\":\"offline-vm\"}");
            api.create(exchange);
            assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
            assertThat(exchange.getMessage().getBody(String.class)).contains("did not acknowledge the request");

            Exchange health = new DefaultExchange(new DefaultCamelContext());
            api.ready(health);
            assertThat(health.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
            assertThat(health.getMessage().getBody(String.class)).contains("\"kafka\":\"down");
        }
    }

    private static javax.sql.DataSource dataSourceOf(PipelineHarness harness) {
        return harness.pipeline().dataSource();
    }
}

package dev.vmprov.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vmprov.Vmprov;

/** The CLI's client of the HTTP API: base URL from --api or VMPROV_API_URL, bearer token from VMPROV_API_TOKEN. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer of the API. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String error() {
            return body.path("error").asText("HTTP " + status);
        }

        /** The CLI's exit code for a failed answer. */
        int exitCode() {
            return switch (status) {
                case 400, 415 -> Vmprov.EXIT_USAGE;
                case 401 -> Vmprov.EXIT_UNAUTHORIZED;
                case 404 -> Vmprov.EXIT_NOT_FOUND;
                case 503 -> Vmprov.EXIT_UNAVAILABLE;
                default -> Vmprov.EXIT_FAILED;
            };
        }
    }

    /** The API cannot be reached. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    static ApiClient fromEnvironment(String apiOption) {
        String url = apiOption != null ? apiOption
                : System.getenv().getOrDefault("VMPROV_API_URL", "http://127.0.0.1:8080");
        return new ApiClient(url, System.getenv("VMPROV_API_TOKEN"));
    }

    String base() {
        return base;
    }

    Answer get(String path) throws Unreachable {
        return send(request(path).GET().build());
    }

    Answer post(String path, Object body) throws Unreachable {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Answer delete(String path, Object body) throws Unreachable {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Answer send(HttpRequest request) throws Unreachable {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body() == null || response.body().isBlank() ? JSON.createObjectNode()
                        : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.createObjectNode().put("error", response.body());
            }
            return new Answer(response.statusCode(), body);
        } catch (ConnectException e) {
            throw new Unreachable("cannot reach the vmprov API at " + base + " (connection refused): is `vmprov run`"
                    + " running? Set --api or VMPROV_API_URL");
        } catch (IOException e) {
            throw new Unreachable("cannot reach the vmprov API at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }
}

package dev.vmprov.api;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import dev.vmprov.libvirt.LibvirtConnection;

/** Readiness: Kafka answers, the libvirt connection answers, the store answers; each within a few seconds. */
public class Readiness implements AutoCloseable {

    private final Admin admin;
    private final LibvirtConnection libvirt;
    private final DataSource store;
    private final String hypervisorHealth;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(3)).build();

    public Readiness(String bootstrapServers, LibvirtConnection libvirt, DataSource store) {
        this(bootstrapServers, libvirt, store, null);
    }

    /** With {@code hypervisorApi} (the http driver's base URL), its {@code GET /health} is checked too. */
    public Readiness(String bootstrapServers, LibvirtConnection libvirt, DataSource store, String hypervisorApi) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        this.admin = Admin.create(p);
        this.libvirt = libvirt;
        this.store = store;
        this.hypervisorHealth = hypervisorApi == null ? null
                : (hypervisorApi.endsWith("/") ? hypervisorApi : hypervisorApi + "/") + "health";
    }

    /** Each check's result: "up", or "down: why". */
    public Map<String, String> check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("kafka", probe(() -> {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).clusterId().get(3, TimeUnit.SECONDS);
            return null;
        }));
        if (libvirt != null) {
            checks.put("libvirt", probe(() -> {
                libvirt.verify();
                return null;
            }));
        }
        if (hypervisorHealth != null) {
            checks.put("hypervisorApi", probe(() -> {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hypervisorHealth))
                        .timeout(java.time.Duration.ofSeconds(3)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 300) {
                    throw new IllegalStateException("GET " + hypervisorHealth + " answered " + response.statusCode());
                }
                return null;
            }));
        }
        checks.put("store", probe(() -> {
            try (Connection c = store.getConnection()) {
                if (!c.isValid(3)) {
                    throw new IllegalStateException("the connection is not valid");
                }
            }
            return null;
        }));
        return checks;
    }

    private interface Check {
        Void run() throws Exception;
    }

    private static String probe(Check check) {
        try {
            CompletableFuture.supplyAsync(() -> {
                try {
                    return check.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }).get(4, TimeUnit.SECONDS);
            return "up";
        } catch (java.util.concurrent.TimeoutException e) {
            return "down: no answer within 4 s";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "down: " + cause.getMessage();
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}

package dev.vmprov.pipeline;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.VmState;
import dev.vmprov.request.ProvisioningRequest;

/**
 * The pipeline's Prometheus metrics, served at /metrics: requests by action and outcome, the latency from a
 * request's publication (its record's timestamp) to its terminal state, dead letters, console lines streamed.
 * Camel's own route metrics land in the same registry.
 */
public class PipelineMetrics {

    private static final Duration[] SLO = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter deadLetters = Counter.builder("vmprov_dead_letters")
            .description("requests rejected to the dead-letter topic").register(registry);
    private final Counter driverRetries = Counter.builder("vmprov_driver_retries")
            .description("calls to the hypervisor retried after a transient failure").register(registry);
    private final Counter consoleLines = Counter.builder("vmprov_console_lines")
            .description("console lines published").register(registry);

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** After each status event was published: terminal events count the request and its latency. */
    public void status(StatusEvent event, ProvisioningRequest request) {
        if (!event.isTerminal()) {
            return;
        }
        Counter.builder("vmprov_requests").description("requests handled, by action and outcome")
                .tag("action", event.action()).tag("outcome", event.state().wireName()).register(registry)
                .increment();
        if (event.state() != VmState.DUPLICATE && request != null && request.origin() != null
                && request.origin().timestamp() != null) {
            long millis = System.currentTimeMillis() - request.origin().timestamp();
            Timer.builder("vmprov_request_latency").description("from a request's publication to its terminal state")
                    .tag("action", event.action()).serviceLevelObjectives(SLO).register(registry)
                    .record(Duration.ofMillis(Math.max(0, millis)));
        }
    }

    public void deadLetter() {
        deadLetters.increment();
    }

    public void driverRetry() {
        driverRetries.increment();
    }

    public void consoleLine() {
        consoleLines.increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}

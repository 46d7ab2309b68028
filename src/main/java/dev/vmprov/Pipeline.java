package dev.vmprov;

import java.util.List;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmprov.api.Readiness;
import dev.vmprov.api.RequestPublisher;
import dev.vmprov.api.VmApi;
import dev.vmprov.config.Driver;
import dev.vmprov.console.ConsoleHistory;
import dev.vmprov.console.ConsolePublisher;
import dev.vmprov.console.ConsoleStreamer;
import dev.vmprov.console.ConsoleTail;
import dev.vmprov.config.VmprovConfig;
import dev.vmprov.executor.DomainBuilder;
import dev.vmprov.executor.HttpExecutor;
import dev.vmprov.executor.LibvirtExecutor;
import dev.vmprov.executor.ResourceAllocator;
import dev.vmprov.executor.VmExecutor;
import dev.vmprov.libvirt.LibvirtConnection;
import dev.vmprov.pipeline.DeadLetters;
import dev.vmprov.pipeline.KafkaRecords;
import dev.vmprov.pipeline.PipelineMetrics;
import dev.vmprov.pipeline.StatusEvents;
import dev.vmprov.request.DefaultsPolicy;
import dev.vmprov.request.RequestParser;
import dev.vmprov.store.ConnectionUris;
import dev.vmprov.store.CredentialSnapshot;
import dev.vmprov.store.Store;
import dev.vmprov.store.VmInstanceStore;

/** The running service: Camel main with the YAML routes and the beans they call, built from one configuration. */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Main main;
    private final LibvirtConnection libvirt;
    private final Store store;
    private final VmInstanceStore instances;
    private final ConsolePublisher consolePublisher;
    private final ConsoleStreamer consoles;
    private final ConsoleTail consoleTail;
    private final List<AutoCloseable> clients;

    private Pipeline(Main main, LibvirtConnection libvirt, Store store, VmInstanceStore instances,
            ConsolePublisher consolePublisher, ConsoleStreamer consoles, ConsoleTail consoleTail,
            List<AutoCloseable> clients) {
        this.main = main;
        this.libvirt = libvirt;
        this.store = store;
        this.instances = instances;
        this.consolePublisher = consolePublisher;
        this.consoles = consoles;
        this.consoleTail = consoleTail;
        this.clients = clients;
    }

    /** Starts the pipeline; fails with {@link StartupException} when a dependency is missing or unreachable. */
    public static Pipeline start(VmprovConfig config) {
        LibvirtConnection libvirt = null;
        VmExecutor executor;
        ConsoleHistory history = new ConsoleHistory(config.logTail());
        PipelineMetrics metrics = new PipelineMetrics();
        ConsolePublisher consolePublisher = null;
        ConsoleStreamer consoles = null;
        if (config.driver() == Driver.LIBVIRT) {
            libvirt = new LibvirtConnection(config.libvirtUri(), config.credentials());
            verifyLibvirt(libvirt);
            consolePublisher = new ConsolePublisher(config.bootstrapServers(), config.consoleTopic(),
                    metrics::consoleLine);
            consoles = new ConsoleStreamer(libvirt, consolePublisher, history);
            executor = new LibvirtExecutor(libvirt,
                    new DomainBuilder(config.network(), config.volume(), config.console()),
                    new ResourceAllocator(config.gpuPolicy(), config.console()), consoles, config.stopTimeout(),
                    config.domainType());
        } else {
            executor = new HttpExecutor(config.hypervisorApi(), metrics::driverRetry);
        }

        Store store;
        try {
            store = Store.open(config.storeUrl(), config.storeUser(), config.storePassword());
        } catch (RuntimeException e) {
            if (libvirt != null) {
                libvirt.close();
            }
            throw new StartupException("cannot open the store at " + ConnectionUris.sanitizeJdbc(config.storeUrl())
                    + ": " + e.getMessage() + " (check VMPROV_STORE_URL)", e);
        }
        // the row says how this process reaches the hypervisor: libvirt's URI and credentials, or the legacy API's
        VmInstanceStore instances = config.driver() == Driver.HTTP
                ? new VmInstanceStore(store.dataSource(), config.hypervisorApi().url(),
                        CredentialSnapshot.ofToken(config.hypervisorApi().token() != null))
                : new VmInstanceStore(store.dataSource(), config.libvirtUri(),
                        CredentialSnapshot.of(config.credentials()));
        JdbcMessageIdRepository executedRequests = new JdbcMessageIdRepository(store.dataSource(),
                "vmprov-requests");
        executedRequests.setCreateTableIfNotExists(false);

        ConsoleTail consoleTail = executor instanceof HttpExecutor http
                ? new ConsoleTail(null, history, config.logTail(), http::consoleTail)
                : new ConsoleTail(libvirt, history, config.logTail());
        RequestPublisher requestPublisher = new RequestPublisher(config.bootstrapServers(), config.requestsTopic());
        Readiness readiness = new Readiness(config.bootstrapServers(), libvirt, store.dataSource(),
                config.driver() == Driver.HTTP ? config.hypervisorApi().url() : null);

        Main main = new Main();
        main.bind("instances", instances);
        main.bind("metrics", metrics);
        main.bind("api", new VmApi(instances, consoleTail, requestPublisher, readiness, metrics, config.apiToken()));
        main.bind("executedRequests", executedRequests);
        main.bind("requestParser", new RequestParser());
        main.bind("defaults", new DefaultsPolicy(config.defaultTier(), config.defaultMemoryMiB(),
                config.defaultVcpus()));
        main.bind("statusEvents", new StatusEvents(executor.driver()));
        main.bind("executor", executor);
        main.bind("deadLetters", new DeadLetters());
        main.bind("kafkaRecords", new KafkaRecords());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport camel) {
                // Camel's own per-route metrics (exchanges, failures, timings) in the same Prometheus registry
                MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
                routeMetrics.setMeterRegistry(metrics.registry());
                camel.getCamelContext().addRoutePolicyFactory(routeMetrics);
            }
        });
        main.configure().withRoutesIncludePattern(config.routes());
        main.configure().withName("vmprov");
        Properties props = new Properties();
        props.put("vmprov.topic.requests", config.requestsTopic());
        props.put("vmprov.topic.status", config.statusTopic());
        props.put("vmprov.topic.dlq", config.deadLetterTopic());
        props.put("vmprov.kafka.group", config.consumerGroup());
        props.put("vmprov.kafka.consumers", Integer.toString(config.consumers()));
        props.put("camel.component.kafka.brokers", config.bootstrapServers());
        props.put("camel.server.enabled", "true");
        props.put("camel.server.host", config.httpHost());
        props.put("camel.server.port", Integer.toString(config.httpPort()));
        props.put("camel.rest.bindingMode", "off");
        main.setInitialProperties(props);
        try {
            main.start();
        } catch (Exception e) {
            if (libvirt != null) {
                libvirt.close();
            }
            store.close();
            throw new StartupException("the Camel routes did not start: " + e.getMessage(), e);
        }
        LOG.info("vmprov pipeline started: driver={}, hypervisor={}, kafka={}, requests={}, status={}, dlq={},"
                + " store={}", executor.driver(), config.driver() == Driver.HTTP ? config.hypervisorApi().url()
                : ConnectionUris.sanitize(config.libvirtUri()),
                config.bootstrapServers(), config.requestsTopic(), config.statusTopic(), config.deadLetterTopic(),
                ConnectionUris.sanitizeJdbc(config.storeUrl()));
        if (consoles != null) {
            consoles.attachRunning();
        }
        return new Pipeline(main, libvirt, store, instances, consolePublisher, consoles, consoleTail,
                List.of(requestPublisher, readiness));
    }

    private static void verifyLibvirt(LibvirtConnection libvirt) {
        try {
            libvirt.verify();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new StartupException("the libvirt client library (libvirt.so.0) cannot be loaded: install the"
                    + " Debian/Ubuntu package 'libvirt0' (apt-get install libvirt0), or set VM_PROVISIONER_DRIVER"
                    + " to another driver (" + firstLine(e.getMessage()) + ")", e);
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_AUTH_FAILED) {
                // The password may be rotated without a restart (SIGHUP): keep running, requests report it.
                LOG.warn("libvirt at {} refused the credentials: {}; requests will fail until the password is"
                        + " fixed (rotate LIBVIRT_PASSWORD_FILE and send SIGHUP)",
                        ConnectionUris.sanitize(libvirt.uri()), e.getMessage());
                return;
            }
            throw new StartupException("cannot connect to libvirt at " + ConnectionUris.sanitize(libvirt.uri())
                    + ": " + e.getMessage() + " (check LIBVIRT_CONNECTION_URI and that the daemon is running)", e);
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no detail";
        }
        String line = text.strip().lines().findFirst().orElse(text);
        return line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
    }

    /** SIGHUP: re-reads the password file; returns what happened, for the log. */
    public String reloadCredentials() {
        return libvirt == null ? "SIGHUP: the driver has no credentials to re-read" : libvirt.reloadPassword();
    }

    public VmInstanceStore instances() {
        return instances;
    }

    public javax.sql.DataSource dataSource() {
        return store.dataSource();
    }

    public ConsoleTail consoleTail() {
        return consoleTail;
    }

    public ConsoleStreamer consoles() {
        return consoles;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel failed: {}", e.getMessage());
        }
        if (consoles != null) {
            consoles.close();
        }
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", client, e.getMessage());
            }
        }
        if (consolePublisher != null) {
            consolePublisher.close();
        }
        if (libvirt != null) {
            libvirt.close();
        }
        store.close();
    }

    /** The service cannot start; the message says what to fix. */
    public static class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }

        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

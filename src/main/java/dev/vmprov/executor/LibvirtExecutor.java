package dev.vmprov.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmprov.console.ConsoleStreamer;
import dev.vmprov.domain.DomainXml;
import dev.vmprov.domain.InstanceMetadata;
import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.StatusEvent.DomainFacts;
import dev.vmprov.events.VmState;
import dev.vmprov.libvirt.LibvirtConnection;
import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.ProvisioningRequest;

/**
 * The libvirt executor: create = define + start; start; stop = graceful shutdown, then destroy after the stop
 * timeout; reboot; delete = destroy if running + undefine. Every action is safe to repeat: a create replayed
 * with the same request id finds its own domain and reports it instead of failing.
 */
public class LibvirtExecutor implements VmExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtExecutor.class);
    /** VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | SNAPSHOTS_METADATA | NVRAM | CHECKPOINTS_METADATA. */
    private static final int UNDEFINE_EVERYTHING = 1 | 2 | 4 | 16;
    private static final int START_PAUSED = 1;

    private final LibvirtConnection connection;
    private final DomainBuilder domains;
    private final ResourceAllocator resources;
    private final ConsoleStreamer consoles;
    private final Duration stopTimeout;
    private final String domainTypeSetting;
    private volatile HostFacts hostFacts;

    public LibvirtExecutor(LibvirtConnection connection, DomainBuilder domains, ResourceAllocator resources,
            ConsoleStreamer consoles, Duration stopTimeout, String domainTypeSetting) {
        this.connection = connection;
        this.domains = domains;
        this.resources = resources;
        this.consoles = consoles;
        this.stopTimeout = stopTimeout;
        this.domainTypeSetting = domainTypeSetting;
    }

    @Override
    public String driver() {
        return "libvirt";
    }

    @Override
    public List<StatusEvent> execute(ProvisioningRequest request) {
        Transitions transitions = new Transitions(request);
        try {
            switch (request.action()) {
                case CREATE -> create(request, transitions);
                case START -> start(request, transitions);
                case STOP -> stop(request, transitions);
                case REBOOT -> reboot(request, transitions);
                case DELETE -> delete(request, transitions);
            }
        } catch (LibvirtException e) {
            transitions.failed(describe(e), transitions.lastFacts);
        } catch (RuntimeException e) {
            LOG.error("unexpected error while executing {} {}", request.action().wireName(), request.name(), e);
            transitions.failed("internal error: " + e, transitions.lastFacts);
        }
        return transitions.events;
    }

    private void create(ProvisioningRequest request, Transitions t) throws LibvirtException {
        DomainFacts requested = DomainFacts.of(request);
        HostFacts host = hostFacts();
        if (request.isolationTier() == IsolationTier.CONFIDENTIAL && host.sev().isEmpty()) {
            t.failed("isolation tier 'confidential' needs AMD SEV, which this host does not offer ("
                    + host.sevUnavailable() + "); nothing was defined", requested);
            return;
        }
        String existing = connection.call(c -> {
            Domain domain = lookup(c, request.name());
            if (domain == null) {
                return null;
            }
            try {
                return domain.getXMLDesc(0);
            } finally {
                domain.free();
            }
        });
        if (existing != null) {
            String owner = InstanceMetadata.readFrom(existing).map(InstanceMetadata::requestId).orElse(null);
            if (!request.requestId().equals(owner)) {
                DomainFacts facts = connection.call(c -> facts(c, request.name()));
                t.failed("a domain named '" + request.name() + "' already exists"
                        + (owner == null ? " (not created by vmprov)" : " (created by request " + owner + ")")
                        + ": send start to run it, or delete it first", facts);
                return;
            }
            // A replay of this very request (redelivery after a crash): finish it instead of failing.
            LOG.info("create {} with request id {} was already defined; resuming", request.name(),
                    request.requestId());
        } else if (!define(request, host, t, requested)) {
            return;
        }
        DomainFacts defined = connection.call(c -> facts(c, request.name()));
        t.add(VmState.DEFINED, null, defined);
        try {
            DomainFacts running = connection.call(c -> {
                Domain domain = c.domainLookupByName(request.name());
                try {
                    if (domain.isActive() == 0) {
                        startWithConsole(c, domain, request.name());
                    }
                    return facts(domain);
                } finally {
                    domain.free();
                }
            });
            t.add(VmState.RUNNING, null, running);
        } catch (LibvirtException e) {
            t.failed("defined, but starting failed: " + describe(e)
                    + "; the domain stays defined: send start to retry, or delete to remove it", defined);
        }
    }

    /** Reserves GPUs and a console port, defines the domain; false (with a failed event) when it cannot. */
    private boolean define(ProvisioningRequest request, HostFacts host, Transitions t, DomainFacts requested)
            throws LibvirtException {
        ResourceAllocator.Reservation reservation;
        try {
            reservation = resources.reserve(request.name(), request.gpus() == null ? 0 : request.gpus(),
                    () -> connection.call(LibvirtExecutor::inventory));
        } catch (ResourceAllocator.Unavailable e) {
            t.failed(e.getMessage() + "; nothing was defined", requested);
            return false;
        }
        try {
            String xml = DomainXml.render(domains.build(request, host, reservation.gpus(), reservation.consolePort()));
            connection.call(c -> {
                c.domainDefineXML(xml).free();
                return null;
            });
            return true;
        } catch (LibvirtException e) {
            t.failed("libvirt rejected the domain definition: " + describe(e) + "; nothing was defined", requested);
            return false;
        } finally {
            resources.release(reservation);
        }
    }

    /**
     * Starts the domain paused, attaches its console, then resumes it, so the console stream holds the guest's
     * very first byte. Where the driver cannot start paused, it starts normally and attaches right after.
     */
    private void startWithConsole(Connect c, Domain domain, String name) throws LibvirtException {
        boolean paused;
        try {
            domain.create(START_PAUSED);
            paused = true;
        } catch (LibvirtException e) {
            if (e.getError() == null || (e.getError().getCode() != ErrorNumber.VIR_ERR_INVALID_ARG
                    && e.getError().getCode() != ErrorNumber.VIR_ERR_NO_SUPPORT)) {
                throw e;
            }
            domain.create();
            paused = false;
        }
        try {
            consoles.attach(c, domain, name);
        } finally {
            if (paused) {
                domain.resume();
            }
        }
    }

    /** Every defined domain's XML, for the resources they hold. */
    private static DomainInventory inventory(Connect c) throws LibvirtException {
        Map<String, String> xmlByName = new HashMap<>();
        for (Domain domain : c.listAllDomains(0)) {
            try {
                xmlByName.put(domain.getName(), domain.getXMLDesc(0));
            } catch (LibvirtException e) {
                if (e.getError() == null || e.getError().getCode() != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    throw e;
                }
                // undefined while we looked: it holds nothing any more
            } finally {
                domain.free();
            }
        }
        return DomainInventory.of(xmlByName);
    }

    private void start(ProvisioningRequest request, Transitions t) throws LibvirtException {
        onExisting(request, t, (c, domain) -> {
            String detail = null;
            if (domain.isActive() == 1) {
                detail = "already running";
            } else {
                startWithConsole(c, domain, request.name());
            }
            t.add(VmState.RUNNING, detail, facts(domain));
        });
    }

    private void stop(ProvisioningRequest request, Transitions t) throws LibvirtException {
        onExisting(request, t, (c, domain) -> {
            if (domain.isActive() == 0) {
                t.add(VmState.STOPPED, "already stopped", facts(domain));
                return;
            }
            domain.shutdown();
            long deadline = System.nanoTime() + stopTimeout.toNanos();
            while (domain.isActive() == 1 && System.nanoTime() < deadline) {
                sleep(100);
            }
            String detail = "shut down gracefully";
            if (domain.isActive() == 1) {
                domain.destroy();
                detail = "forced off: the guest did not shut down within " + stopTimeout.toSeconds() + " s";
            }
            t.add(VmState.STOPPED, detail, facts(domain));
        });
    }

    private void reboot(ProvisioningRequest request, Transitions t) throws LibvirtException {
        onExisting(request, t, (c, domain) -> {
            t.lastFacts = facts(domain);
            domain.reboot(0);
            t.add(VmState.RUNNING, "rebooted", facts(domain));
        });
    }

    private void delete(ProvisioningRequest request, Transitions t) throws LibvirtException {
        onExisting(request, t, (c, domain) -> {
            DomainFacts facts = facts(domain);
            t.lastFacts = facts;
            String detail = "undefined";
            if (domain.isActive() == 1) {
                domain.destroy();
                detail = "destroyed and undefined";
            }
            undefine(domain);
            t.add(VmState.DELETED, detail, facts);
        });
    }

    /** Work on one existing domain. */
    @FunctionalInterface
    private interface DomainWork {
        void apply(Connect connect, Domain domain) throws LibvirtException;
    }

    /**
     * Runs {@code work} on the request's domain, or records a failed event saying it does not exist. The
     * events of a run are dropped when the connection breaks and the work runs again, so none is doubled.
     */
    private void onExisting(ProvisioningRequest request, Transitions t, DomainWork work) throws LibvirtException {
        int mark = t.events.size();
        connection.call(c -> {
            t.rewindTo(mark);
            Domain domain = lookup(c, request.name());
            if (domain == null) {
                t.failed("no domain named '" + request.name() + "' exists: send create first", t.lastFacts);
                return null;
            }
            try {
                work.apply(c, domain);
            } finally {
                domain.free();
            }
            return null;
        });
    }

    private static void undefine(Domain domain) throws LibvirtException {
        try {
            domain.undefine(UNDEFINE_EVERYTHING);
        } catch (LibvirtException e) {
            if (e.getError().getCode() != ErrorNumber.VIR_ERR_INVALID_ARG
                    && e.getError().getCode() != ErrorNumber.VIR_ERR_NO_SUPPORT) {
                throw e;
            }
            domain.undefine();
        }
    }

    private static Domain lookup(Connect c, String name) throws LibvirtException {
        try {
            return c.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return null;
            }
            throw e;
        }
    }

    private static DomainFacts facts(Connect c, String name) throws LibvirtException {
        Domain domain = c.domainLookupByName(name);
        try {
            return facts(domain);
        } finally {
            domain.free();
        }
    }

    private static DomainFacts facts(Domain domain) throws LibvirtException {
        DomainInfo info = domain.getInfo();
        org.w3c.dom.Document xml = DomainXml.parse(domain.getXMLDesc(0)); // parsed once for both readings
        String tier = InstanceMetadata.readFrom(xml).map(InstanceMetadata::isolationTier).orElse(null);
        List<String> gpus = DomainInventory.pciDevices(xml).stream().map(Object::toString).toList();
        return new DomainFacts(tier, (int) (info.maxMem / 1024), info.nrVirtCpu, gpus.isEmpty() ? null : gpus,
                domain.getUUIDString());
    }

    /** The host's facts, read once (see {@link HostFacts#detect}). */
    private HostFacts hostFacts() throws LibvirtException {
        HostFacts facts = hostFacts;
        if (facts == null) {
            facts = connection.call(c -> HostFacts.detect(c, domainTypeSetting));
            hostFacts = facts;
        }
        return facts;
    }

    static String describe(LibvirtException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        if (e.getError() == null || e.getError().getCode() == null) {
            return "libvirt: " + message;
        }
        String text = "libvirt: " + message + " (" + e.getError().getCode() + ")";
        if (e.getError().getCode() == ErrorNumber.VIR_ERR_AUTH_FAILED
                || e.getError().getCode() == ErrorNumber.VIR_ERR_AUTH_CANCELLED) {
            text += ": check LIBVIRT_USERNAME and the password; after rotating LIBVIRT_PASSWORD_FILE send SIGHUP,"
                    + " the next request then connects with the new password";
        }
        return text;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the guest to shut down", e);
        }
    }

    /** The events of one request, in order. */
    private final class Transitions {
        private final ProvisioningRequest request;
        private final List<StatusEvent> events = new ArrayList<>();
        private DomainFacts lastFacts;

        Transitions(ProvisioningRequest request) {
            this.request = request;
            this.lastFacts = DomainFacts.of(request);
        }

        void add(VmState state, String detail, DomainFacts facts) {
            lastFacts = facts;
            events.add(StatusEvent.of(request, driver(), state, null, detail, facts));
        }

        void rewindTo(int size) {
            while (events.size() > size) {
                events.remove(events.size() - 1);
            }
        }

        void failed(String reason, DomainFacts facts) {
            LOG.warn("{} {} (request {}) failed: {}", request.action().wireName(), request.name(),
                    request.requestId(), reason);
            events.add(StatusEvent.of(request, driver(), VmState.FAILED, reason, null, facts));
        }
    }
}

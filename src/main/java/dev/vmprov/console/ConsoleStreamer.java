package dev.vmprov.console;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.Stream;
import org.libvirt.VmprovNative;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmprov.domain.InstanceMetadata;
import dev.vmprov.libvirt.LibvirtConnection;

/**
 * Streams the console of each running vmprov domain to the console topic. Each console is a non-blocking libvirt
 * stream (virDomainOpenConsole) read by libvirt's event loop thread when data is waiting, so a silent console
 * holds nothing up; bytes become lines, lines go to Kafka and to the tail history. The executor attaches while
 * the domain is still paused, so the guest's first byte is captured. A stream that breaks while the same run of
 * the domain goes on is reopened with backoff; it ends when the domain stops.
 */
public class ConsoleStreamer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStreamer.class);
    static final int MAX_LINE_BYTES = 4096;
    private static final long IDLE_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int READABLE = 1;
    private static final int ERROR = 4;
    private static final int HANGUP = 8;

    private final LibvirtConnection connection;
    private final ConsolePublisher publisher;
    private final ConsoleHistory history;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<String> unsupportedLogged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmprov-console");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public ConsoleStreamer(LibvirtConnection connection, ConsolePublisher publisher, ConsoleHistory history) {
        this.connection = connection;
        this.publisher = publisher;
        this.history = history;
        scheduler.scheduleWithFixedDelay(() -> sessions.values().forEach(Session::flushIfIdle), 250, 250,
                TimeUnit.MILLISECONDS);
        connection.onOpen(this::listenForStarts);
        connection.onLost(() -> scheduler.execute(() -> sessions.values().forEach(Session::connectionLost)));
    }

    /**
     * Domains started outside vmprov (virsh start, autostart): attach when libvirt reports the start. The
     * listener runs on libvirt's event loop thread, so the attach itself runs on the scheduler.
     */
    private void listenForStarts(Connect connect) {
        try {
            connect.addLifecycleListener(startListener);
        } catch (LibvirtException e) {
            LOG.info("no domain lifecycle events on this connection ({}): consoles of domains started outside"
                    + " vmprov are attached at the next vmprov start", e.getMessage());
        }
    }

    /** Held here: JNA callbacks must stay reachable. */
    private final org.libvirt.event.LifecycleListener startListener = (domain, event) -> {
        if (event.getType() == org.libvirt.event.DomainEventType.STARTED && !closed) {
            try {
                String name = domain.getName();
                scheduler.schedule(() -> attachIfMissing(name), 200, TimeUnit.MILLISECONDS);
            } catch (LibvirtException e) {
                LOG.debug("a started domain without a name: {}", e.getMessage());
            }
        }
        return 0;
    };

    private void attachIfMissing(String name) {
        if (closed || isStreaming(name)) {
            return;
        }
        try {
            connection.call(c -> {
                Domain domain = c.domainLookupByName(name);
                try {
                    if (domain.isActive() == 1 && InstanceMetadata.readFrom(domain.getXMLDesc(0)).isPresent()
                            && !isStreaming(name)) {
                        attach(c, domain, name);
                    }
                } finally {
                    domain.free();
                }
                return null;
            });
        } catch (LibvirtException e) {
            LOG.debug("cannot attach the console of {} after its start: {}", name, e.getMessage());
        }
    }

    /**
     * Opens the console of {@code domain} and starts streaming it. Call it while the domain is paused (right after
     * a paused start) so that nothing is missed. Returns false when the connection offers no console (the test
     * driver) or it cannot be opened; the domain runs either way.
     */
    public boolean attach(Connect connect, Domain domain, String name) {
        if (closed) {
            return false;
        }
        Session session;
        try {
            session = new Session(name, domain.getID());
            session.open(connect, domain);
        } catch (LibvirtException e) {
            if (unsupportedLogged.add(name + ":" + e.getError().getCode())) {
                LOG.info("no console stream for {}: {}", name, e.getMessage());
            }
            return false;
        }
        Session previous = sessions.put(name, session);
        if (previous != null) {
            previous.close(); // the console of an earlier run of the domain
        }
        LOG.info("console of {} attached (session {})", name, session.id);
        return true;
    }

    /** At startup: attaches to every running domain that vmprov created. Output printed before is not replayed. */
    public void attachRunning() {
        try {
            connection.call(c -> {
                for (Domain domain : c.listAllDomains(1 /* VIR_CONNECT_LIST_DOMAINS_ACTIVE */)) {
                    try {
                        if (InstanceMetadata.readFrom(domain.getXMLDesc(0)).isPresent()) {
                            attach(c, domain, domain.getName());
                        }
                    } finally {
                        domain.free();
                    }
                }
                return null;
            });
        } catch (LibvirtException e) {
            LOG.warn("cannot list running domains to attach their consoles: {}", e.getMessage());
        }
    }

    /** Whether a console stream of this domain's current run is open. */
    public boolean isStreaming(String name) {
        Session s = sessions.get(name);
        return s != null && s.isOpen();
    }

    public int activeSessions() {
        return (int) sessions.values().stream().filter(Session::isOpen).count();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        sessions.values().forEach(Session::close);
        sessions.clear();
    }

    /**
     * One console: its stream, line assembly and numbering. The stream is used by libvirt's event loop thread (on
     * data) and by other threads (open, close), always under the session's lock.
     */
    private final class Session {
        private final String name;
        /** libvirt's id of the domain's run: a new one at every start, so a stream never follows a restart. */
        private final int domainId;
        private final String id = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        private final LineAssembler assembler;
        private final byte[] buffer = new byte[8192];
        /** Held here: JNA callbacks must stay reachable while libvirt may call them. */
        private final Libvirt.VirStreamEventCallback callback = (stream, events, opaque) -> onEvent(events);
        private Stream stream;
        private boolean done;
        private long seq;
        private long backoffMillis = 200;

        Session(String name, int domainId) {
            this.name = name;
            this.domainId = domainId;
            this.assembler = new LineAssembler(MAX_LINE_BYTES, this::line);
        }

        synchronized void open(Connect connect, Domain domain) throws LibvirtException {
            Stream s = connect.streamNew(Stream.VIR_STREAM_NONBLOCK);
            try {
                VmprovNative.openConsole(domain, null, s, 0);
                s.addCallback(READABLE | ERROR | HANGUP, callback);
            } catch (LibvirtException e) {
                free(s);
                throw e;
            }
            stream = s;
        }

        synchronized boolean isOpen() {
            return !done && stream != null;
        }

        /** On libvirt's event loop thread: read everything that is waiting. */
        private synchronized void onEvent(int events) {
            if (stream == null || done) {
                return;
            }
            try {
                while (true) {
                    int n = VmprovNative.receive(stream, buffer);
                    if (n == -2) {
                        break;
                    }
                    if (n == 0) {
                        ended("end of stream");
                        return;
                    }
                    assembler.feed(buffer, n);
                }
                if ((events & (ERROR | HANGUP)) != 0) {
                    ended("stream error or hangup");
                }
            } catch (LibvirtException | RuntimeException e) {
                ended(e.getMessage());
            }
        }

        private void line(String text) {
            seq++;
            history.add(name, text);
            publisher.publish(new ConsoleLine(name, id, seq, text,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()));
        }

        /** The connection under the stream went away (libvirtd restarted): reopen once it is back. */
        synchronized void connectionLost() {
            if (stream != null && !done) {
                ended("the libvirt connection was closed");
            }
        }

        synchronized void flushIfIdle() {
            assembler.flushIfIdle(IDLE_FLUSH_NANOS);
        }

        /** The stream ended: release it; reopen later if the same run of the domain still goes on. */
        private void ended(String why) {
            release();
            if (!done && !closed) {
                scheduler.schedule(this::reopenOrFinish, backoffMillis, TimeUnit.MILLISECONDS);
                backoffMillis = Math.min(backoffMillis * 2, 5000);
                LOG.debug("console stream of {} ended ({}); checking the domain", name, why);
            }
        }

        private void reopenOrFinish() {
            if (done || closed || sessions.get(name) != this) {
                finish();
                return;
            }
            try {
                boolean reopened = connection.call(c -> {
                    Domain domain;
                    try {
                        domain = c.domainLookupByName(name);
                    } catch (LibvirtException e) {
                        return false; // undefined
                    }
                    try {
                        if (domain.isActive() != 1 || domain.getID() != domainId) {
                            return false; // stopped, or started again with a session of its own
                        }
                        open(c, domain);
                        return true;
                    } finally {
                        domain.free();
                    }
                });
                if (reopened) {
                    LOG.info("console of {} reopened", name);
                } else {
                    finish();
                }
            } catch (LibvirtException e) {
                if (e.getError() != null && (e.getError().getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN
                        || e.getError().getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_OPERATION_INVALID)) {
                    finish(); // undefined or stopped meanwhile
                    return;
                }
                LOG.warn("cannot reopen the console of {}: {}; retrying in {} ms", name, e.getMessage(),
                        backoffMillis);
                scheduler.schedule(this::reopenOrFinish, backoffMillis, TimeUnit.MILLISECONDS);
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            }
        }

        /** The domain's run is over: emit what is held and forget the session. */
        private synchronized void finish() {
            if (done) {
                return;
            }
            done = true;
            release();
            assembler.close();
            sessions.remove(name, this);
            LOG.info("console of {} closed after {} lines", name, seq);
        }

        synchronized void close() {
            finish();
        }

        private synchronized void release() {
            if (stream == null) {
                return;
            }
            Stream s = stream;
            stream = null;
            try {
                s.removeCallback();
            } catch (LibvirtException | RuntimeException ignored) {
                // no callback left
            }
            try {
                s.abort();
            } catch (LibvirtException | RuntimeException ignored) {
                // already ended
            }
            free(s);
        }

        private void free(Stream s) {
            try {
                s.free();
            } catch (LibvirtException | RuntimeException ignored) {
                // freed before
            }
        }
    }
}

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmprov.domain.InstanceMetadata;
import dev.vmprov.libvirt.LibvirtConnection;

/**
 * Streams the console of each running vmprov domain to the console topic: one reader thread per domain on a
 * blocking libvirt stream (virDomainOpenConsole), bytes to lines, lines to Kafka and to the tail history.
 * The executor attaches while the domain is still paused, so the first byte the guest prints is captured.
 * A stream that breaks while the domain runs is reopened with backoff; it ends when the domain stops.
 */
public class ConsoleStreamer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStreamer.class);
    static final int MAX_LINE_BYTES = 4096;
    private static final long IDLE_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final LibvirtConnection connection;
    private final ConsolePublisher publisher;
    private final ConsoleHistory history;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<String> unsupportedLogged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmprov-console-flush");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public ConsoleStreamer(LibvirtConnection connection, ConsolePublisher publisher, ConsoleHistory history) {
        this.connection = connection;
        this.publisher = publisher;
        this.history = history;
        flusher.scheduleWithFixedDelay(() -> sessions.values().forEach(s -> s.assembler.flushIfIdle(
                IDLE_FLUSH_NANOS)), 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the console of {@code domain} and starts streaming it. Call it while the domain is paused (right
     * after a paused start) so that nothing is missed. Returns false when the connection offers no console
     * (the test driver) or it cannot be opened; the domain runs either way.
     */
    public boolean attach(Connect connect, Domain domain, String name) {
        if (closed) {
            return false;
        }
        Session existing = sessions.get(name);
        if (existing != null && existing.isAlive()) {
            return true;
        }
        Stream stream;
        try {
            stream = open(connect, domain);
        } catch (LibvirtException e) {
            if (unsupportedLogged.add(name + ":" + e.getError().getCode())) {
                LOG.info("no console stream for {}: {}", name, e.getMessage());
            }
            return false;
        }
        Session session = new Session(name, stream);
        sessions.put(name, session);
        session.start();
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

    public boolean isStreaming(String name) {
        Session s = sessions.get(name);
        return s != null && s.isAlive();
    }

    public int activeSessions() {
        return (int) sessions.values().stream().filter(Session::isAlive).count();
    }

    private static Stream open(Connect connect, Domain domain) throws LibvirtException {
        Stream stream = connect.streamNew(0);
        try {
            VmprovNative.openConsole(domain, null, stream, 0);
            return stream;
        } catch (LibvirtException e) {
            stream.free();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.shutdownNow();
        for (Session s : sessions.values()) {
            s.stop();
        }
    }

    /** One console stream: a reader thread, its line assembler, and the line numbering of the session. */
    private final class Session {
        private final String name;
        private final String id = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        private final LineAssembler assembler;
        private final Thread reader;
        private volatile Stream stream;
        private volatile boolean stopping;
        private long seq;

        Session(String name, Stream stream) {
            this.name = name;
            this.stream = stream;
            this.assembler = new LineAssembler(MAX_LINE_BYTES, this::line);
            this.reader = new Thread(this::read, "vmprov-console-" + name);
            this.reader.setDaemon(true);
        }

        void start() {
            reader.start();
        }

        boolean isAlive() {
            return reader.isAlive();
        }

        private void line(String text) {
            seq++;
            history.add(name, text);
            publisher.publish(new ConsoleLine(name, id, seq, text,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()));
        }

        private void read() {
            byte[] buffer = new byte[8192];
            long backoffMillis = 200;
            try {
                while (!stopping) {
                    try {
                        int n = stream.receive(buffer);
                        if (n <= 0) {
                            finish(stream);
                            if (!reopen()) {
                                break; // the domain stopped: end of its console
                            }
                            continue;
                        }
                        backoffMillis = 200;
                        assembler.feed(buffer, n);
                    } catch (LibvirtException e) {
                        abort(stream);
                        if (stopping) {
                            break;
                        }
                        LOG.warn("console stream of {} broke ({}); reopening in {} ms", name, e.getMessage(),
                                backoffMillis);
                        Thread.sleep(backoffMillis);
                        backoffMillis = Math.min(backoffMillis * 2, 5000);
                        if (!reopen()) {
                            break;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                assembler.close();
                free(stream);
                sessions.remove(name, this);
                LOG.info("console of {} closed after {} lines", name, seq);
            }
        }

        /** A new stream if the domain still runs; false when it stopped (or vmprov is closing). */
        private boolean reopen() {
            if (stopping || closed) {
                return false;
            }
            try {
                Stream next = connection.call(c -> {
                    Domain domain;
                    try {
                        domain = c.domainLookupByName(name);
                    } catch (LibvirtException e) {
                        return null; // undefined
                    }
                    try {
                        return domain.isActive() == 1 ? open(c, domain) : null;
                    } finally {
                        domain.free();
                    }
                });
                free(stream);
                if (next == null) {
                    return false;
                }
                stream = next;
                return true;
            } catch (LibvirtException e) {
                LOG.warn("cannot reopen the console of {}: {}", name, e.getMessage());
                return false;
            }
        }

        void stop() {
            stopping = true;
            abort(stream);
        }

        private void finish(Stream s) {
            try {
                s.finish();
            } catch (LibvirtException | RuntimeException ignored) {
                // already at its end
            }
        }

        private void abort(Stream s) {
            try {
                s.abort();
            } catch (LibvirtException | RuntimeException ignored) {
                // already broken
            }
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

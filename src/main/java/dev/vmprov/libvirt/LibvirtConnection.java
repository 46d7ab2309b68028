package dev.vmprov.libvirt;

import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.VmprovNative;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmprov.config.Credentials;
import dev.vmprov.store.ConnectionUris;

/**
 * The one long-lived libvirt connection of the process. libvirt connections are thread-safe, so all
 * executor threads share it; when it breaks it is closed and reopened on the next use.
 */
public class LibvirtConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    /** A piece of work against libvirt. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    /**
     * libvirt prints every error to stderr unless a callback is set; errors reach us as exceptions, so the
     * callback stays silent. Held in a static field: JNA callbacks must not be garbage collected.
     */
    private static final ErrorCallback SILENT = new ErrorCallback();
    private static volatile boolean silenced;

    private final String uri;
    private final LibvirtAuth auth;
    private final PasswordSource passwords;
    private final java.util.List<java.util.function.Consumer<Connect>> openListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Runnable> lostListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set by libvirt's close callback when the peer went away (daemon restart, network): reopen on next use. */
    private volatile boolean lost;
    /** Held here: JNA callbacks must stay reachable. */
    private final org.libvirt.event.ConnectionCloseListener closeListener = this::peerClosed;
    private Connect connect;

    /** A connection without credentials. */
    public LibvirtConnection(String uri) {
        this(uri, Credentials.NONE);
    }

    /** A connection that answers libvirt's auth negotiation with these credentials, when any are set. */
    public LibvirtConnection(String uri, Credentials credentials) {
        this.uri = uri;
        boolean any = credentials.username() != null || credentials.password() != null
                || credentials.passwordFile() != null;
        this.passwords = any ? new PasswordSource(credentials) : null;
        this.auth = any ? new LibvirtAuth(credentials.username(), passwords) : null;
    }

    private void peerClosed(Connect closed, org.libvirt.event.ConnectionCloseReason reason) {
        if (reason != org.libvirt.event.ConnectionCloseReason.CLIENT) {
            lost = true;
            LOG.warn("libvirt connection to {} was closed ({}); it is reopened on next use",
                    ConnectionUris.sanitize(uri), reason);
            lostListeners.forEach(Runnable::run);
        }
    }

    /** Called (on libvirt's event loop thread: do no libvirt calls there) when the peer closed the connection. */
    public void onLost(Runnable listener) {
        lostListeners.add(listener);
    }

    /** Called with every connection this opens (and reopens), e.g. to register event listeners on it. */
    public void onOpen(java.util.function.Consumer<Connect> listener) {
        openListeners.add(listener);
    }

    /** Re-reads the password file (SIGHUP). The open connection stays: in-flight work is not interrupted. */
    public String reloadPassword() {
        return passwords == null ? "SIGHUP: no libvirt credentials are configured, nothing to re-read"
                : passwords.reload();
    }

    public String uri() {
        return uri;
    }

    /**
     * Runs {@code work} on the shared connection. If it fails because the connection is gone, the connection is
     * reopened and the work runs once more: callers make their work safe to repeat.
     */
    public <T> T call(Work<T> work) throws LibvirtException {
        Connect current = current();
        try {
            return work.apply(current);
        } catch (LibvirtException e) {
            if (alive(current)) {
                throw e;
            }
            LOG.warn("libvirt connection to {} broke ({}); reopening and retrying once", ConnectionUris.sanitize(uri),
                    e.getMessage());
            discard(current);
            return work.apply(current());
        }
    }

    private synchronized Connect current() throws LibvirtException {
        if (lost && connect != null) {
            discard(connect);
        }
        lost = false;
        if (connect == null) {
            silenceDefaultErrorPrinting();
            LibvirtEvents.ensureStarted();
            LOG.info("opening libvirt connection to {}{}", ConnectionUris.sanitize(uri),
                    auth == null ? "" : " with credentials");
            connect = auth == null ? new Connect(uri) : VmprovNative.openAuth(uri, auth);
            try {
                connect.registerCloseListener(closeListener);
            } catch (LibvirtException e) {
                LOG.debug("no close callback on this connection: {}", e.getMessage());
            }
            for (java.util.function.Consumer<Connect> listener : openListeners) {
                listener.accept(connect);
            }
        }
        return connect;
    }

    private static synchronized void silenceDefaultErrorPrinting() throws LibvirtException {
        if (!silenced) {
            Connect.setErrorCallback(SILENT);
            silenced = true;
        }
    }

    private synchronized void discard(Connect broken) {
        if (connect == broken) {
            connect = null;
            try {
                broken.close();
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("closing a broken libvirt connection failed: {}", e.getMessage());
            }
        }
    }

    private static boolean alive(Connect connect) {
        try {
            return connect.isAlive();
        } catch (LibvirtException | RuntimeException e) {
            return false;
        }
    }

    /** Opens the connection now, so a wrong URI or a missing daemon stops startup instead of the first request. */
    public void verify() throws LibvirtException {
        call(Connect::getType);
    }

    @Override
    public synchronized void close() {
        if (connect != null) {
            try {
                connect.close();
            } catch (LibvirtException e) {
                LOG.warn("closing the libvirt connection failed: {}", e.getMessage());
            }
            connect = null;
        }
    }
}

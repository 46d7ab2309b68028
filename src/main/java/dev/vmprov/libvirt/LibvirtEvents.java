package dev.vmprov.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, run on one daemon thread for the whole process. Console streams are
 * non-blocking and get their data from it, so a silent console never holds the shared connection. It must be
 * registered before the connections that use it are opened.
 */
public final class LibvirtEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtEvents.class);
    private static boolean started;

    private LibvirtEvents() {
    }

    public static synchronized void ensureStarted() throws LibvirtException {
        if (started) {
            return;
        }
        Library.initEventLoop();
        Thread loop = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException | InterruptedException e) {
                LOG.error("the libvirt event loop stopped: {}", e.getMessage());
            }
        }, "libvirt-events");
        loop.setDaemon(true);
        loop.start();
        started = true;
    }
}

package org.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.libvirt.jna.CString;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.StreamPointer;

/**
 * libvirt calls that libvirt-java 0.5.4 does not bind, mapped with JNA. It lives in libvirt-java's package to
 * reach the connection and domain pointers and libvirt-java's own error handling (which turns libvirt's last error into a
 * {@link LibvirtException}); nothing else of vmprov does.
 */
public final class VmprovNative {

    /** The extra libvirt functions, loaded from the same libvirt.so.0 as libvirt-java's own. */
    interface Extras extends Library {
        CString virConnectGetDomainCapabilities(ConnectionPointer conn, String emulatorbin, String arch,
                String machine, String virttype, int flags);

        int virDomainOpenConsole(DomainPointer dom, String devName, StreamPointer stream, int flags);
    }

    private static volatile Extras extras;

    private VmprovNative() {
    }

    private static Extras extras() {
        Extras e = extras;
        if (e == null) {
            synchronized (VmprovNative.class) {
                if (extras == null) {
                    extras = Native.load("virt", Extras.class);
                }
                e = extras;
            }
        }
        return e;
    }

    /**
     * virDomainOpenConsole: connects {@code stream} (a new blocking stream of the domain's connection) to the
     * domain's console ({@code devName} null = the first console). Output printed before this call is not
     * replayed: open it while the domain is paused to miss nothing.
     */
    public static void openConsole(Domain domain, String devName, Stream stream, int flags)
            throws LibvirtException {
        ErrorHandler.processError(extras().virDomainOpenConsole(domain.vdp, devName, stream.getVsp(), flags));
    }

    /**
     * virStreamRecv on a non-blocking stream, with libvirt's own result: the number of bytes read, 0 at the end
     * of the stream, -2 when no data is waiting (libvirt-java's own receive cannot return that).
     */
    public static int receive(Stream stream, byte[] buffer) throws LibvirtException {
        int n = org.libvirt.Library.libvirt.virStreamRecv(stream.getVsp(), java.nio.ByteBuffer.wrap(buffer),
                new org.libvirt.jna.SizeT(buffer.length));
        return n == -2 ? -2 : ErrorHandler.processError(n);
    }

    /** virConnectGetDomainCapabilities: what the host can give a domain of this kind (null = the default). */
    public static String domainCapabilities(Connect connect, String emulator, String arch, String machine,
            String virtType) throws LibvirtException {
        CString xml = extras().virConnectGetDomainCapabilities(connect.vcp, emulator, arch, machine, virtType, 0);
        return ErrorHandler.processError(xml).toString();
    }
}

package org.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.libvirt.jna.CString;
import org.libvirt.jna.ConnectionPointer;

/**
 * libvirt calls that libvirt-java 0.5.4 does not bind, mapped with JNA. It lives in libvirt-java's package to
 * reach the connection pointer and libvirt-java's own error handling (which turns libvirt's last error into a
 * {@link LibvirtException}); nothing else of vmprov does.
 */
public final class VmprovNative {

    /** The extra libvirt functions, loaded from the same libvirt.so.0 as libvirt-java's own. */
    interface Extras extends Library {
        CString virConnectGetDomainCapabilities(ConnectionPointer conn, String emulatorbin, String arch,
                String machine, String virttype, int flags);
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

    /** virConnectGetDomainCapabilities: what the host can give a domain of this kind (null = the default). */
    public static String domainCapabilities(Connect connect, String emulator, String arch, String machine,
            String virtType) throws LibvirtException {
        CString xml = extras().virConnectGetDomainCapabilities(connect.vcp, emulator, arch, machine, virtType, 0);
        return ErrorHandler.processError(xml).toString();
    }
}

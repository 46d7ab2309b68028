package org.libvirt;

import java.util.List;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

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

        ConnectionPointer virConnectOpenAuth(String name, Auth auth, int flags);
    }

    /** virConnectCredential, with {@code result} as a raw pointer that libvirt frees itself. */
    public static class Credential extends Structure {
        public int type;
        public Pointer prompt;
        public Pointer challenge;
        public Pointer defresult;
        public Pointer result;
        public int resultlen;

        public Credential() {
        }

        public Credential(Pointer p) {
            super(p);
            read();
        }

        @Override
        protected List<String> getFieldOrder() {
            return List.of("type", "prompt", "challenge", "defresult", "result", "resultlen");
        }
    }

    /** virConnectAuthCallbackPtr. */
    public interface AuthCallback extends Callback {
        int invoke(Pointer credentials, int count, Pointer data);
    }

    /** virConnectAuth. */
    public static class Auth extends Structure {
        public Pointer credtype;
        public int ncredtype;
        public AuthCallback cb;
        public Pointer cbdata;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("credtype", "ncredtype", "cb", "cbdata");
        }
    }

    /** What answers one credential: its libvirt type (2 = authname, 5 = passphrase), the answer or null. */
    public interface Answers {
        byte[] answer(int credentialType);
    }

    public static final int VIR_CRED_AUTHNAME = 2;
    public static final int VIR_CRED_PASSPHRASE = 5;

    /**
     * virConnectOpenAuth with credentials answered by {@code answers}. libvirt-java's own ConnectAuth hands libvirt
     * a result string that JNA owns, which libvirt then frees as well (heap corruption, a crashed JVM after a
     * failed authentication); here each result is a fresh malloc'd copy that libvirt frees, as its API expects.
     */
    public static Connect openAuth(String uri, Answers answers) throws LibvirtException {
        Memory types = new Memory(8);
        types.setInt(0, VIR_CRED_AUTHNAME);
        types.setInt(4, VIR_CRED_PASSPHRASE);
        Auth auth = new Auth();
        auth.credtype = types;
        auth.ncredtype = 2;
        auth.cb = (credentials, count, data) -> {
            Credential first = new Credential(credentials);
            Credential[] all = (Credential[]) first.toArray(count);
            for (Credential credential : all) {
                byte[] value = answers.answer(credential.type);
                if (value == null) {
                    return -1;
                }
                long address = Native.malloc(value.length + 1L);
                if (address == 0) {
                    return -1;
                }
                Pointer copy = new Pointer(address);
                copy.write(0, value, 0, value.length);
                copy.setByte(value.length, (byte) 0);
                java.util.Arrays.fill(value, (byte) 0);
                credential.result = copy;
                credential.resultlen = value.length;
                credential.write();
            }
            return 0;
        };
        ConnectionPointer pointer = extras().virConnectOpenAuth(uri, auth, 0);
        return new Connect(ErrorHandler.processError(pointer));
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

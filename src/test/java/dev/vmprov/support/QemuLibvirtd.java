package dev.vmprov.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * A real libvirtd for qemu:///system with QEMU under TCG, started by hand by the test (no systemd) and stopped
 * by PID afterwards: virtlogd first (libvirt writes console logs through it), then libvirtd under
 * {@code tini -s}, a child subreaper, so destroyed QEMU processes are reaped at once (PID 1 here is slow to).
 * The machine needs what .ci/run sets up: the packages, a libvirt-qemu user, and qemu.conf with
 * user/group root. If a libvirtd already answers on qemu:///system it is used and left running.
 */
public final class QemuLibvirtd implements AutoCloseable {

    private static final Path RUN = Path.of("/run/libvirt");
    private Process libvirtd;
    private final Long virtlogdPid;
    private Path dir;

    private QemuLibvirtd(Process libvirtd, Long virtlogdPid, Path dir) {
        this.libvirtd = libvirtd;
        this.virtlogdPid = virtlogdPid;
        this.dir = dir;
    }

    /** Whether this test started the daemon (and so may restart it). */
    public boolean ownsDaemon() {
        return libvirtd != null;
    }

    /** Stops libvirtd and starts it again; running QEMU guests survive, as they do in production. */
    public void restart() throws Exception {
        libvirtd.destroy();
        if (!libvirtd.waitFor(30, TimeUnit.SECONDS)) {
            libvirtd.destroyForcibly();
        }
        libvirtd = startDaemon(dir);
    }

    private static Process startDaemon(Path dir) throws Exception {
        Process libvirtd = new ProcessBuilder("/usr/bin/tini", "-s", "--", "/usr/sbin/libvirtd", "--pid-file",
                dir.resolve("libvirtd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("libvirtd.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers()) {
            if (!libvirtd.isAlive() || System.nanoTime() > deadline) {
                libvirtd.destroy();
                throw new AssertionError("libvirtd did not start: " + Files.readString(dir.resolve("libvirtd.log")));
            }
            Thread.sleep(100);
        }
        return libvirtd;
    }

    public static QemuLibvirtd start() throws Exception {
        for (String tool : List.of("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/tini",
                "/usr/bin/qemu-system-x86_64")) {
            assertThat(Path.of(tool)).as(tool + " is needed for the real-VM tests: bash .ci/run installs it").exists();
        }
        assertThat(Files.readString(Path.of("/etc/libvirt/qemu.conf"))).as("/etc/libvirt/qemu.conf must set"
                + " user = \"root\" (bash .ci/run writes it)").contains("user = \"root\"");
        if (answers()) {
            return new QemuLibvirtd(null, null, null);
        }
        Path dir = Files.createTempDirectory("vmprov-libvirtd");
        Files.createDirectories(Path.of("/var/log/libvirt/qemu"));
        Long virtlogd = null;
        if (!Files.exists(RUN.resolve("virtlogd-sock"))) {
            Path pidFile = dir.resolve("virtlogd.pid");
            Process p = new ProcessBuilder("/usr/sbin/virtlogd", "--daemon", "--pid-file", pidFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("virtlogd.log").toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("virtlogd: " + Files.readString(dir.resolve("virtlogd.log"))).isZero();
            virtlogd = Long.parseLong(Files.readString(pidFile).trim());
        }
        return new QemuLibvirtd(startDaemon(dir), virtlogd, dir);
    }

    private static boolean answers() {
        if (!Files.exists(RUN.resolve("libvirt-sock"))) {
            return false;
        }
        try {
            Connect c = new Connect("qemu:///system");
            c.getCapabilities(); // the first call after a fresh start probes QEMU (seconds)
            c.close();
            return true;
        } catch (LibvirtException e) {
            return false;
        }
    }

    /** Destroys and undefines the domains whose names start with {@code prefix}. */
    public void removeDomains(String prefix) throws LibvirtException {
        Connect c = new Connect("qemu:///system");
        try {
            for (org.libvirt.Domain d : c.listAllDomains(0)) {
                if (d.getName().startsWith(prefix)) {
                    if (d.isActive() == 1) {
                        d.destroy();
                    }
                    d.undefine();
                }
                d.free();
            }
        } finally {
            c.close();
        }
    }

    @Override
    public void close() throws Exception {
        if (libvirtd != null) {
            libvirtd.destroy();
            if (!libvirtd.waitFor(30, TimeUnit.SECONDS)) {
                libvirtd.destroyForcibly();
            }
        }
        if (virtlogdPid != null) {
            ProcessHandle.of(virtlogdPid).ifPresent(ProcessHandle::destroy);
        }
    }
}

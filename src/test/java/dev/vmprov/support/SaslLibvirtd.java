package dev.vmprov.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real libvirtd, started by the test, whose socket requires SASL SCRAM-SHA-256. It runs from a temporary
 * directory (its own socket, pid file, SASL config and user database) with no hypervisor driver modules loaded
 * (LIBVIRT_DRIVER_DIR is an empty directory), so it serves libvirt's test driver over the remote protocol:
 * {@code test+unix:///default?socket=...}. Stopped by PID.
 */
public final class SaslLibvirtd implements AutoCloseable {

    public final Path dir;
    private final Process process;

    private SaslLibvirtd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    public static SaslLibvirtd start(String user, String password) throws Exception {
        for (String tool : new String[] {"/usr/sbin/libvirtd", "/usr/sbin/saslpasswd2"}) {
            assertThat(Path.of(tool)).as(tool + " is needed: apt-get install libvirt-daemon sasl2-bin (bash .ci/run"
                    + " installs them)").exists();
        }
        Path dir = Files.createTempDirectory("vmprov-sasl");
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("drivers"));
        Files.createDirectories(dir.resolve("sasl"));
        Files.writeString(dir.resolve("libvirtd.conf"), String.join("\n",
                "unix_sock_dir = \"" + dir.resolve("run") + "\"",
                "unix_sock_rw_perms = \"0770\"",
                "auth_unix_rw = \"sasl\"",
                "auth_unix_ro = \"sasl\"",
                "listen_tls = 0",
                "listen_tcp = 0",
                ""));
        Files.writeString(dir.resolve("sasl/libvirt.conf"),
                "mech_list: scram-sha-256\nsasldb_path: " + dir.resolve("passwd.db") + "\n");
        setPassword(dir, user, password);
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/libvirtd", "--config",
                dir.resolve("libvirtd.conf").toString(), "--pid-file", dir.resolve("libvirtd.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile());
        pb.environment().put("SASL_CONF_PATH", dir.resolve("sasl").toString());
        pb.environment().put("LIBVIRT_DRIVER_DIR", dir.resolve("drivers").toString());
        Process process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("run/libvirt-sock"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("libvirtd did not start: " + Files.readString(dir.resolve("libvirtd.log")));
            }
            Thread.sleep(50);
        }
        return new SaslLibvirtd(dir, process);
    }

    /** Sets (or changes) a user's password in the SASL database. */
    public static void setPassword(Path dir, String user, String password) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/saslpasswd2", "-p", "-a", "libvirt", "-f",
                dir.resolve("passwd.db").toString(), user).redirectErrorStream(true).start();
        p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("saslpasswd2: " + out).isZero();
    }

    public String uri() {
        return "test+unix:///default?socket=" + dir.resolve("run/libvirt-sock");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

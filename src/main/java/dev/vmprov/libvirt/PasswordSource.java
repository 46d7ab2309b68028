package dev.vmprov.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.vmprov.config.Credentials;
import dev.vmprov.config.Secret;

/**
 * The password libvirt's auth negotiation gets: from {@code LIBVIRT_PASSWORD_FILE} when set (it wins, since only a
 * file can be rotated), else {@code LIBVIRT_PASSWORD}. {@link #reload()} (on SIGHUP) re-reads the file, following
 * a symlink that was swapped to a new secret; when the file cannot be read, the previous password stays.
 * One trailing line break is removed from the file's content; anything else is part of the password.
 */
public final class PasswordSource {

    private final Path file;
    private Secret current;

    public PasswordSource(Credentials credentials) {
        this.file = credentials.passwordFile();
        if (file != null) {
            try {
                current = read(file);
            } catch (IOException e) {
                throw new IllegalStateException("LIBVIRT_PASSWORD_FILE " + file + " cannot be read: "
                        + e.getClass().getSimpleName(), e);
            }
        } else {
            current = credentials.password();
        }
    }

    public synchronized Secret current() {
        return current;
    }

    /** Re-reads the password file; returns what happened, for the log (never the password). */
    public synchronized String reload() {
        if (file == null) {
            return "SIGHUP: no LIBVIRT_PASSWORD_FILE is set, nothing to re-read";
        }
        try {
            Secret next = read(file);
            boolean changed = !next.equals(current);
            current = next;
            return "SIGHUP: re-read LIBVIRT_PASSWORD_FILE " + file + (changed
                    ? ": the password changed; new libvirt connections use it" : ": the password is unchanged");
        } catch (IOException | RuntimeException e) {
            return "SIGHUP: LIBVIRT_PASSWORD_FILE " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "); keeping the previous password";
        }
    }

    private static Secret read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return new Secret(text);
    }
}

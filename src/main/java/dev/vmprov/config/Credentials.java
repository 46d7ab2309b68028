package dev.vmprov.config;

import java.nio.file.Path;

/**
 * What answers libvirt's auth negotiation: {@code LIBVIRT_USERNAME}, and a password from
 * {@code LIBVIRT_PASSWORD_FILE} (which wins when both are set, since only the file can be rotated) or from
 * {@code LIBVIRT_PASSWORD}. The password itself is never held here: the file is read when needed, and the
 * variable's value is a {@link Secret}.
 */
public record Credentials(String username, Secret password, Path passwordFile) {

    public static final Credentials NONE = new Credentials(null, null, null);

    /** Where the password comes from: "file", "environment" or "none". */
    public String passwordSource() {
        return passwordFile != null ? "file" : password != null ? "environment" : "none";
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=" + passwordSource()
                + (passwordFile != null ? " " + passwordFile : "") + "]";
    }
}

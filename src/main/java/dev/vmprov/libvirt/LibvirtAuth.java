package dev.vmprov.libvirt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.libvirt.VmprovNative;

import dev.vmprov.config.Secret;

/**
 * Answers libvirt's auth negotiation (for example SASL SCRAM-SHA-256 on the daemon's socket) with
 * {@code LIBVIRT_USERNAME} and the current password. The password is asked for at each connection, so a rotated
 * one is used by the next connection without a restart. It is encoded straight from the secret's characters,
 * never through a String.
 */
final class LibvirtAuth implements VmprovNative.Answers {

    private final String username;
    private final PasswordSource passwords;

    LibvirtAuth(String username, PasswordSource passwords) {
        this.username = username;
        this.passwords = passwords;
    }

    @Override
    public byte[] answer(int credentialType) {
        if (credentialType == VmprovNative.VIR_CRED_AUTHNAME) {
            return username == null ? null : username.getBytes(StandardCharsets.UTF_8);
        }
        if (credentialType == VmprovNative.VIR_CRED_PASSPHRASE) {
            Secret password = passwords.current();
            if (password == null) {
                return null;
            }
            char[] chars = password.reveal();
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            Arrays.fill(chars, '\0');
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return bytes;
        }
        return null;
    }

    @Override
    public String toString() {
        return "LibvirtAuth[username=" + username + ", password=******]";
    }
}

package dev.vmprov.libvirt;

import org.libvirt.ConnectAuth;

import dev.vmprov.config.Secret;

/**
 * Answers libvirt's auth negotiation (for example SASL SCRAM-SHA-256 on the daemon's socket) with
 * {@code LIBVIRT_USERNAME} and the current password. The password is asked for at each connection, so a rotated
 * one is used by the next connection without a restart.
 */
final class LibvirtAuth extends ConnectAuth {

    private final String username;
    private final PasswordSource passwords;

    LibvirtAuth(String username, PasswordSource passwords) {
        this.username = username;
        this.passwords = passwords;
        this.credType = new CredentialType[] {CredentialType.VIR_CRED_AUTHNAME, CredentialType.VIR_CRED_PASSPHRASE};
    }

    @Override
    public int callback(Credential[] credentials) {
        for (Credential credential : credentials) {
            if (credential.type == CredentialType.VIR_CRED_AUTHNAME) {
                if (username == null) {
                    return -1;
                }
                credential.result = username;
            } else if (credential.type == CredentialType.VIR_CRED_PASSPHRASE) {
                Secret password = passwords.current();
                if (password == null) {
                    return -1;
                }
                credential.result = new String(password.reveal());
            } else {
                return -1;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return "LibvirtAuth[username=" + username + ", password=******]";
    }
}

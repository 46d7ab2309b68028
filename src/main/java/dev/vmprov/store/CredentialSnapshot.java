package dev.vmprov.store;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.vmprov.config.Credentials;

/**
 * What the store and the API may say about the credentials: the user name, whether a password was supplied and
 * from where (file or environment, and the file's path). Never the password, nor anything derived from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialSnapshot(String username, boolean passwordSupplied, String passwordSource,
        String passwordFile) {

    /** The http driver's: whether a bearer token for the legacy API was supplied (from the environment). */
    public static CredentialSnapshot ofToken(boolean supplied) {
        return new CredentialSnapshot(null, supplied, supplied ? "environment" : "none", null);
    }

    public static CredentialSnapshot of(Credentials credentials) {
        return new CredentialSnapshot(credentials.username(),
                credentials.password() != null || credentials.passwordFile() != null,
                credentials.passwordSource(),
                credentials.passwordFile() == null ? null : credentials.passwordFile().toString());
    }
}

package dev.vmprov.request;

import java.util.Optional;

import dev.vmprov.util.WireNames;

/** How strongly a VM is isolated from its host and neighbours; the README says what each tier means. */
public enum IsolationTier {
    STANDARD, HARDENED, CONFIDENTIAL;

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<IsolationTier> fromWire(String value) {
        return WireNames.parse(IsolationTier.class, value);
    }

    public static String allowed() {
        return WireNames.allowed(IsolationTier.class);
    }
}

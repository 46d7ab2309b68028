package dev.vmprov.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How strongly a VM is isolated from its host and neighbours. The meaning of each tier in the domain XML is
 * documented in docs/isolation-tiers.md.
 */
public enum IsolationTier {
    STANDARD, HARDENED, CONFIDENTIAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IsolationTier> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(IsolationTier::wireName).toList());
    }
}

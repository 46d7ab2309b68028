package dev.vmprov.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A host PCI address, {@code domain:bus:slot.function} in hex, e.g. {@code 0000:65:00.0}. */
public record PciAddress(int domain, int bus, int slot, int function) {

    private static final Pattern FORMAT = Pattern.compile(
            "([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    public static Optional<PciAddress> parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int slot = Integer.parseInt(m.group(3), 16);
        if (slot > 0x1f) {
            return Optional.empty();
        }
        return Optional.of(new PciAddress(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16), slot,
                Integer.parseInt(m.group(4))));
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%d", domain, bus, slot, function);
    }
}

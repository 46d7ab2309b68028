package dev.vmprov.config;

import java.util.Arrays;

/**
 * A secret value. It never shows itself: {@link #toString()} is a fixed mask, it is not serialisable, and
 * its text is handed out only by {@link #reveal()}, to the code that answers libvirt's auth callback.
 */
public final class Secret {

    private final char[] value;

    public Secret(String value) {
        this.value = value.toCharArray();
    }

    public char[] reveal() {
        return Arrays.copyOf(value, value.length);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public String toString() {
        return "******";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return 0;
    }
}

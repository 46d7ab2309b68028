package dev.vmprov.util;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Enums on the wire and in the environment: lower-case constant names. */
public final class WireNames {

    private WireNames() {
    }

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> of(e).equals(value)).findFirst();
    }

    /** "a, b, c": the accepted values, for error messages. */
    public static String allowed(Class<? extends Enum<?>> type) {
        return String.join(", ", Arrays.stream(type.getEnumConstants()).map(WireNames::of).toList());
    }
}

package dev.vmprov.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a request asks libvirt to do with one VM. */
public enum Action {
    CREATE, START, STOP, REBOOT, DELETE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(Action::wireName).toList());
    }
}

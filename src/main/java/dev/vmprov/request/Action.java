package dev.vmprov.request;

import java.util.Optional;

import dev.vmprov.util.WireNames;

/** What a request asks the hypervisor to do with one VM. */
public enum Action {
    CREATE, START, STOP, REBOOT, DELETE;

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<Action> fromWire(String value) {
        return WireNames.parse(Action.class, value);
    }

    public static String allowed() {
        return WireNames.allowed(Action.class);
    }
}

package dev.vmprov.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** The states a status event reports; docs/status-events.md describes every transition. */
public enum VmState {
    ACCEPTED, DEFINED, RUNNING, STOPPED, DELETED, FAILED,
    /** The request id was already executed: nothing was done. Not a VM state; the store ignores it. */
    DUPLICATE,
    /** The hypervisor could not be reached; the request stays on the topic and is tried again. Not terminal. */
    RETRYING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VmState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

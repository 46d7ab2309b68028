package dev.vmprov.config;

import java.util.Locale;

/** Which executor carries out requests: {@code libvirt} directly, or the legacy hypervisor HTTP API. */
public enum Driver {
    LIBVIRT, HTTP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

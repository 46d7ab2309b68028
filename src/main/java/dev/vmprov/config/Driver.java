package dev.vmprov.config;

import dev.vmprov.util.WireNames;

/** Which executor carries out requests: {@code libvirt} directly, or the legacy hypervisor HTTP API. */
public enum Driver {
    LIBVIRT, HTTP;

    public String wireName() {
        return WireNames.of(this);
    }
}

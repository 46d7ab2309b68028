package dev.vmprov.pipeline;

import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.StatusEvent.DomainFacts;
import dev.vmprov.events.VmState;
import dev.vmprov.request.ProvisioningRequest;

/** The {@code accepted} event, published before the executor starts work on a request. */
public class StatusEvents {

    private final String driver;

    public StatusEvents(String driver) {
        this.driver = driver;
    }

    public StatusEvent accepted(ProvisioningRequest request) {
        return StatusEvent.of(request, driver, VmState.ACCEPTED, null, null, DomainFacts.of(request));
    }
}

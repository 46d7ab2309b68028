package dev.vmprov.pipeline;

import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.StatusEvent.DomainFacts;
import dev.vmprov.events.VmState;
import dev.vmprov.request.ProvisioningRequest;

/** The events the pipeline itself publishes: {@code accepted} before the executor starts, {@code duplicate}. */
public class StatusEvents {

    private final String driver;

    public StatusEvents(String driver) {
        this.driver = driver;
    }

    public StatusEvent accepted(ProvisioningRequest request) {
        return StatusEvent.of(request, driver, VmState.ACCEPTED, null, null, DomainFacts.of(request));
    }

    /** The hypervisor is out of reach: the request stays on the topic and is handled again. */
    public StatusEvent retrying(ProvisioningRequest request, Exception why) {
        return StatusEvent.of(request, driver, VmState.RETRYING, why.getMessage(), null, DomainFacts.of(request));
    }

    /** For a request id that was already executed: it is not executed again. */
    public StatusEvent duplicate(ProvisioningRequest request) {
        return StatusEvent.of(request, driver, VmState.DUPLICATE, null, "request " + request.requestId()
                + " was already executed; it was not executed again", DomainFacts.of(request));
    }
}

package dev.vmprov.executor;

import java.util.List;

import dev.vmprov.events.StatusEvent;
import dev.vmprov.request.ProvisioningRequest;

/**
 * Carries out one request against a hypervisor and reports the transitions it went through, ending in a
 * terminal state ({@code running}, {@code stopped}, {@code deleted} or {@code failed}). Never throws for a
 * hypervisor error: that is a {@code failed} event with a reason a person can act on.
 */
public interface VmExecutor {

    String driver();

    List<StatusEvent> execute(ProvisioningRequest request);
}

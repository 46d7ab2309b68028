package dev.vmprov.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.vmprov.request.ProvisioningRequest;

/**
 * One transition of one VM, published on the status topic with key = VM name.
 * {@code isolationTier}, {@code memoryMiB}, {@code vcpus} and {@code gpus} (PCI addresses, when any) are the values actually applied (the request's,
 * the defaults, or the existing domain's); {@code reason} is set on {@code failed} only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"requestId", "action", "name", "state", "reason", "detail", "isolationTier", "memoryMiB",
        "vcpus", "gpus", "uuid", "driver", "timestamp"})
public record StatusEvent(
        String requestId,
        String action,
        String name,
        VmState state,
        String reason,
        String detail,
        String isolationTier,
        Integer memoryMiB,
        Integer vcpus,
        List<String> gpus,
        String uuid,
        String driver,
        String timestamp) {

    /** The facts about a domain that a status event reports. */
    public record DomainFacts(String isolationTier, Integer memoryMiB, Integer vcpus, List<String> gpus,
            String uuid) {
        public static DomainFacts of(ProvisioningRequest request) {
            return new DomainFacts(request.isolationTier() == null ? null : request.isolationTier().wireName(),
                    request.memoryMiB(), request.vcpus(), null, null);
        }
    }

    public static StatusEvent of(ProvisioningRequest request, String driver, VmState state, String reason,
            String detail, DomainFacts facts) {
        return new StatusEvent(request.requestId(), request.action().wireName(), request.name(), state, reason,
                detail, facts.isolationTier(), facts.memoryMiB(), facts.vcpus(), facts.gpus(), facts.uuid(), driver,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    @JsonIgnore
    public boolean isTerminal() {
        return state != VmState.ACCEPTED && state != VmState.DEFINED && state != VmState.RETRYING;
    }
}

package dev.vmprov.store;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One row of runtime_vm_instances. {@code credentials} is the sanitized snapshot, never a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmInstance(
        String name,
        String uuid,
        String state,
        String isolationTier,
        Integer memoryMiB,
        Integer vcpus,
        List<String> gpus,
        String driver,
        String connectionUri,
        CredentialSnapshot credentials,
        String lastRequestId,
        String lastAction,
        String lastError,
        Instant createdAt,
        Instant updatedAt) {
}

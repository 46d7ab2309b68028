package dev.vmprov.request;

/**
 * A validated request. {@code isolationTier}, {@code memoryMiB} and {@code vcpus} are null when the request
 * left them out (only {@code create} may carry them, and {@code gpus}); {@link DefaultsPolicy} fills them.
 */
public record ProvisioningRequest(
        String requestId,
        Action action,
        String name,
        IsolationTier isolationTier,
        Integer memoryMiB,
        Integer vcpus,
        Integer gpus,
        RecordOrigin origin) {

    public ProvisioningRequest withSettings(IsolationTier tier, Integer memory, Integer cpus, Integer gpuCount) {
        return new ProvisioningRequest(requestId, action, name, tier, memory, cpus, gpuCount, origin);
    }
}

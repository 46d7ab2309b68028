package dev.vmprov.request;

/**
 * Fills what a create request leaves out with the configured defaults
 * ({@code LIBVIRT_DEFAULT_ISOLATION_TIER}, {@code LIBVIRT_DEFAULT_MEMORY_MIB}, {@code LIBVIRT_DEFAULT_VCPU_COUNT}).
 * Other actions act on an existing domain, whose own settings are reported instead.
 */
public class DefaultsPolicy {

    private final IsolationTier defaultTier;
    private final int defaultMemoryMiB;
    private final int defaultVcpus;

    public DefaultsPolicy(IsolationTier defaultTier, int defaultMemoryMiB, int defaultVcpus) {
        this.defaultTier = defaultTier;
        this.defaultMemoryMiB = defaultMemoryMiB;
        this.defaultVcpus = defaultVcpus;
    }

    public ProvisioningRequest apply(ProvisioningRequest request) {
        if (request.action() != Action.CREATE) {
            return request;
        }
        return request.withSettings(
                request.isolationTier() != null ? request.isolationTier() : defaultTier,
                request.memoryMiB() != null ? request.memoryMiB() : defaultMemoryMiB,
                request.vcpus() != null ? request.vcpus() : defaultVcpus,
                request.gpus() != null ? request.gpus() : 0);
    }
}

package dev.vmprov.executor;

import java.util.ArrayList;
import java.util.List;

import dev.vmprov.domain.Devices;
import dev.vmprov.domain.Domain;
import dev.vmprov.domain.DomainElement;
import dev.vmprov.domain.InstanceMetadata;
import dev.vmprov.domain.MemBalloon;
import dev.vmprov.domain.Memory;
import dev.vmprov.domain.Os;
import dev.vmprov.domain.PtyConsole;
import dev.vmprov.domain.Vcpu;
import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.ProvisioningRequest;

/**
 * Composes the domain definition for a create request (with defaults already applied). Deliberately minimal:
 * memory, vCPUs, a serial console, the tier in metadata, and no memory balloon for the hardened tier.
 */
public class DomainBuilder {

    public Domain build(ProvisioningRequest request, String domainType) {
        List<DomainElement> devices = new ArrayList<>();
        devices.add(new PtyConsole());
        if (request.isolationTier() != IsolationTier.STANDARD) {
            devices.add(new MemBalloon("none"));
        }
        return new Domain(domainType, request.name(),
                new InstanceMetadata(request.requestId(), request.isolationTier().wireName()),
                new Memory(request.memoryMiB()), new Vcpu(request.vcpus()), new Os(null), new Devices(devices));
    }
}

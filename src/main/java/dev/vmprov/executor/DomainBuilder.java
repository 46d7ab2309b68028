package dev.vmprov.executor;

import java.util.ArrayList;
import java.util.List;

import dev.vmprov.config.ConsoleSource;
import dev.vmprov.config.NetworkTemplate;
import dev.vmprov.config.PciAddress;
import dev.vmprov.config.VolumeTemplate;
import dev.vmprov.domain.Devices;
import dev.vmprov.domain.Disk;
import dev.vmprov.domain.Domain;
import dev.vmprov.domain.DomainElement;
import dev.vmprov.domain.Features;
import dev.vmprov.domain.Graphics;
import dev.vmprov.domain.InstanceMetadata;
import dev.vmprov.domain.LaunchSecurity;
import dev.vmprov.domain.Lifecycle;
import dev.vmprov.domain.MemBalloon;
import dev.vmprov.domain.Memory;
import dev.vmprov.domain.MemoryBacking;
import dev.vmprov.domain.NetworkInterface;
import dev.vmprov.domain.Os;
import dev.vmprov.domain.PciHostdev;
import dev.vmprov.domain.Serial;
import dev.vmprov.domain.Vcpu;
import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.ProvisioningRequest;

/**
 * Composes the domain definition of a create request (defaults applied) from the element classes. What each
 * isolation tier means here is documented in docs/isolation-tiers.md:
 * <ul>
 * <li>standard: virtio memory balloon, VNC on the host's loopback;</li>
 * <li>hardened: no balloon, memory locked in RAM and never merged with other guests', no graphics;</li>
 * <li>confidential: hardened, plus AMD SEV launch security (cbitpos / reducedPhysBits from the host), UEFI
 * firmware on q35, and the IOMMU on every virtio device (SEV guests can only do DMA through it).</li>
 * </ul>
 */
public class DomainBuilder {

    private final NetworkTemplate network;
    private final VolumeTemplate volume;
    private final ConsoleSource console;

    public DomainBuilder(NetworkTemplate network, VolumeTemplate volume, ConsoleSource console) {
        this.network = network;
        this.volume = volume;
        this.console = console;
    }

    public Domain build(ProvisioningRequest request, HostFacts host, List<PciAddress> gpus, int consolePort) {
        IsolationTier tier = request.isolationTier();
        boolean confidential = tier == IsolationTier.CONFIDENTIAL;
        boolean standard = tier == IsolationTier.STANDARD;
        if (confidential && host.sev().isEmpty()) {
            throw new IllegalStateException("confidential tier without SEV on the host: " + host.sevUnavailable());
        }

        List<DomainElement> children = new ArrayList<>();
        children.add(new InstanceMetadata(request.requestId(), tier.wireName()));
        children.add(new Memory(request.memoryMiB()));
        if (!standard) {
            children.add(new MemoryBacking(true, true));
        }
        children.add(new Vcpu(request.vcpus()));
        children.add(new Os(host.arch(), confidential ? "q35" : null, confidential));
        children.add(new Features());
        children.add(new Lifecycle("destroy", "restart", "destroy"));

        List<DomainElement> devices = new ArrayList<>();
        if (volume != null) {
            devices.add(new Disk(volume.pathFor(request.name()), volume.driverName(), volume.driverType(),
                    volume.bus(), confidential));
        }
        if (!network.disabled()) {
            devices.add(new NetworkInterface(request.name(), network.template(), confidential));
        }
        devices.add(new Serial(console, request.name(), consolePort));
        if (standard) {
            devices.add(new Graphics());
        }
        gpus.forEach(address -> devices.add(new PciHostdev(address)));
        devices.add(new MemBalloon(standard ? "virtio" : "none"));
        children.add(new Devices(devices));

        if (confidential) {
            HostFacts.Sev sev = host.sev().orElseThrow();
            children.add(new LaunchSecurity(LaunchSecurity.DEFAULT_POLICY, sev.cbitpos(), sev.reducedPhysBits()));
        }
        return new Domain(host.domainType(), request.name(), children);
    }
}

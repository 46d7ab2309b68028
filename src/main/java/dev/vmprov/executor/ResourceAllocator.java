package dev.vmprov.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.vmprov.config.ConsoleSource;
import dev.vmprov.config.GpuPolicy;
import dev.vmprov.config.PciAddress;

/**
 * Hands out GPUs (from {@code LIBVIRT_GPU_POLICY}) and console TCP ports to VMs being created. What defined
 * domains hold is read from libvirt at each reservation (so domains changed outside vmprov count too); what
 * creates in progress hold is tracked here until their domain is defined. A device or port is never given to
 * two domains: a GPU stays with its domain from create to delete, running or not.
 */
public class ResourceAllocator {

    /** A reservation that cannot be made, with the reason for the status event. */
    public static class Unavailable extends Exception {
        public Unavailable(String reason) {
            super(reason);
        }
    }

    /** What one create holds until its domain is defined. */
    public record Reservation(String vmName, List<PciAddress> gpus, int consolePort) {
    }

    private final GpuPolicy gpuPolicy;
    private final ConsoleSource console;
    private final Map<String, Reservation> inFlight = new HashMap<>();

    public ResourceAllocator(GpuPolicy gpuPolicy, ConsoleSource console) {
        this.gpuPolicy = gpuPolicy;
        this.console = console;
    }

    /** Reads what the defined domains hold. */
    @FunctionalInterface
    public interface Scan<E extends Exception> {
        DomainInventory scan() throws E;
    }

    /**
     * Reserves what a create needs. The scan of the defined domains runs under the same lock as the reservation:
     * a scan taken before another create's domain was defined (and its reservation released) would miss it.
     */
    public synchronized <E extends Exception> Reservation reserve(String vmName, int gpus, Scan<E> definedDomains)
            throws Unavailable, E {
        boolean tcp = console.type() == ConsoleSource.Type.TCP;
        if (gpus > 0 && !gpuPolicy.enabled()) {
            throw new Unavailable("the request asks for " + gpus + " GPU(s) but GPU passthrough is disabled"
                    + " (LIBVIRT_GPU_POLICY is unset or has \"enabled\": false)");
        }
        DomainInventory defined = gpus > 0 || tcp ? definedDomains.scan()
                : new DomainInventory(Map.of(), Map.of());
        List<PciAddress> devices = gpus > 0 ? gpus(gpus, defined) : List.of();
        int port = tcp ? port(defined) : 0;
        Reservation reservation = new Reservation(vmName, devices, port);
        inFlight.put(vmName, reservation);
        return reservation;
    }

    public synchronized void release(Reservation reservation) {
        inFlight.remove(reservation.vmName(), reservation);
    }

    private List<PciAddress> gpus(int wanted, DomainInventory defined) throws Unavailable {
        Map<PciAddress, String> held = new HashMap<>(defined.pciHolders());
        inFlight.values().forEach(r -> r.gpus().forEach(g -> held.put(g, r.vmName())));
        List<PciAddress> free = new ArrayList<>();
        for (PciAddress device : gpuPolicy.devices()) {
            if (!held.containsKey(device)) {
                free.add(device);
            }
        }
        if (free.size() < wanted) {
            String holders = gpuPolicy.devices().stream().filter(held::containsKey)
                    .map(d -> d + " held by " + held.get(d)).collect(Collectors.joining(", "));
            throw new Unavailable("the request asks for " + wanted + " GPU(s) but only " + free.size() + " of "
                    + gpuPolicy.devices().size() + " are free" + (holders.isEmpty() ? "" : " (" + holders + ")")
                    + ": delete a VM that holds one, or ask for fewer");
        }
        return List.copyOf(free.subList(0, wanted));
    }

    private int port(DomainInventory defined) throws Unavailable {
        for (int port = console.firstPort(); port <= console.lastPort(); port++) {
            int candidate = port;
            boolean taken = defined.portHolders().containsKey(candidate)
                    || inFlight.values().stream().anyMatch(r -> r.consolePort() == candidate);
            if (!taken) {
                return candidate;
            }
        }
        throw new Unavailable("no free console port left in " + console.firstPort() + "-" + console.lastPort()
                + " (LIBVIRT_CONSOLE_SOURCE ports)");
    }
}

package dev.vmprov.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** The settings a create request may carry, as flags shared by {@code create} and {@code submit}. */
public class CreateOptions {

    @Option(names = "--tier", description = "Isolation tier: standard, hardened, confidential.")
    String tier;

    @Option(names = "--memory-mib", description = "Memory in MiB.")
    Integer memoryMiB;

    @Option(names = "--vcpus", description = "Number of vCPUs.")
    Integer vcpus;

    @Option(names = "--gpus", description = "Number of GPUs to pass through.")
    Integer gpus;

    /** Sets the given flags in the request's policy and resources; flags not given leave the body alone. */
    void applyTo(ObjectNode body) {
        if (tier != null) {
            body.withObject("/policy").put("isolationTier", tier);
        }
        if (memoryMiB != null) {
            body.withObject("/resources").put("memoryMiB", memoryMiB);
        }
        if (vcpus != null) {
            body.withObject("/resources").put("vcpus", vcpus);
        }
        if (gpus != null) {
            body.withObject("/resources").put("gpus", gpus);
        }
    }
}

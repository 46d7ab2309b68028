package dev.vmprov.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code LIBVIRT_GPU_POLICY}: whether GPU passthrough is allowed, and the host's PCI devices it may hand out,
 * e.g. {@code {"enabled": true, "devices": ["0000:65:00.0", "0000:b3:00.0"]}}.
 */
public record GpuPolicy(boolean enabled, List<PciAddress> devices) {

    public static final String VARIABLE = "LIBVIRT_GPU_POLICY";
    public static final GpuPolicy DISABLED = new GpuPolicy(false, List.of());

    public static GpuPolicy parse(String raw, Problems problems) {
        if (raw == null) {
            return DISABLED;
        }
        JsonNode root = problems.object(VARIABLE, raw, "an object like {\"enabled\": true, \"devices\":"
                + " [\"0000:65:00.0\"]}");
        if (root == null) {
            return DISABLED;
        }
        problems.unknownKeys(VARIABLE, root, "$", Set.of("enabled", "devices"), "an unknown key");
        JsonNode enabledNode = root.get("enabled");
        boolean enabled = false;
        if (enabledNode == null) {
            problems.found(VARIABLE, "$.enabled", "nothing", "true or false (required)");
        } else if (!enabledNode.isBoolean()) {
            problems.found(VARIABLE, "$.enabled", Problems.shown(enabledNode), "true or false");
        } else {
            enabled = enabledNode.booleanValue();
        }
        List<PciAddress> devices = new ArrayList<>();
        JsonNode devicesNode = root.get("devices");
        if (devicesNode != null && !devicesNode.isArray()) {
            problems.found(VARIABLE, "$.devices", Problems.shown(devicesNode),
                    "an array of PCI addresses like \"0000:65:00.0\"");
        } else if (devicesNode != null) {
            Set<PciAddress> seen = new HashSet<>();
            for (int i = 0; i < devicesNode.size(); i++) {
                JsonNode device = devicesNode.get(i);
                String path = "$.devices[" + i + "]";
                PciAddress address = device.isTextual() ? PciAddress.parse(device.asText()).orElse(null) : null;
                if (address == null) {
                    problems.found(VARIABLE, path, Problems.shown(device),
                            "a PCI address domain:bus:slot.function in hex, like \"0000:65:00.0\"");
                } else if (!seen.add(address)) {
                    problems.found(VARIABLE, path, Problems.shown(device), "each device listed once");
                } else {
                    devices.add(address);
                }
            }
        }
        if (enabled && devicesNode != null && devicesNode.isArray() && devicesNode.isEmpty()) {
            problems.found(VARIABLE, "$.devices", "an empty list", "at least one device when enabled is true");
        } else if (enabled && devicesNode == null) {
            problems.found(VARIABLE, "$.devices", "nothing", "at least one device when enabled is true");
        }
        return new GpuPolicy(enabled, List.copyOf(devices));
    }
}

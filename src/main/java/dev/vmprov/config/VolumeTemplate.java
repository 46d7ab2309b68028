package dev.vmprov.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code LIBVIRT_VOLUME_TEMPLATE}: the boot volume of every VM, e.g.
 * {@code {"path": "/var/lib/libvirt/images/{name}.qcow2", "driver": {"name": "qemu", "type": "qcow2"},
 * "bus": "virtio"}}. {@code {name}} in the path becomes the VM name. Unset: VMs get no disk.
 */
public record VolumeTemplate(String pathPattern, String driverName, String driverType, String bus) {

    public static final String VARIABLE = "LIBVIRT_VOLUME_TEMPLATE";
    public static final List<String> DRIVER_NAMES = List.of("qemu");
    public static final List<String> DRIVER_TYPES = List.of("raw", "qcow2", "vmdk", "vdi", "vpc", "qed");
    public static final List<String> BUSES = List.of("virtio", "sata", "scsi", "ide", "usb");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    /** The path for one VM; the name was validated (no '/', cannot start with '.'), so no traversal arises. */
    public String pathFor(String vmName) {
        return pathPattern.replace("{name}", vmName);
    }

    public static VolumeTemplate parse(String raw, Problems problems) {
        if (raw == null) {
            return null;
        }
        JsonNode root = problems.object(VARIABLE, raw, "an object like {\"path\":"
                + " \"/var/lib/libvirt/images/{name}.qcow2\", \"driver\": {\"name\": \"qemu\", \"type\":"
                + " \"qcow2\"}, \"bus\": \"virtio\"}");
        if (root == null) {
            return null;
        }
        problems.unknownKeys(VARIABLE, root, "$", Set.of("path", "driver", "bus"), "an unknown key");
        String path = null;
        JsonNode pathNode = root.get("path");
        if (pathNode == null || !pathNode.isTextual()) {
            problems.found(VARIABLE, "$.path", Problems.shown(pathNode),
                    "an absolute path containing {name}, like \"/var/lib/libvirt/images/{name}.qcow2\"");
        } else {
            path = pathNode.asText();
            checkPath(path, problems);
        }
        String driverName = "qemu";
        String driverType = "raw";
        JsonNode driver = root.get("driver");
        if (driver != null) {
            if (!driver.isObject()) {
                problems.found(VARIABLE, "$.driver", Problems.shown(driver),
                        "an object like {\"name\": \"qemu\", \"type\": \"qcow2\"}");
            } else {
                problems.unknownKeys(VARIABLE, driver, "$.driver", Set.of("name", "type"), "an unknown key");
                driverName = choice(driver.get("name"), "$.driver.name", DRIVER_NAMES, driverName, problems);
                driverType = choice(driver.get("type"), "$.driver.type", DRIVER_TYPES, driverType, problems);
            }
        }
        String bus = choice(root.get("bus"), "$.bus", BUSES, "virtio", problems);
        return path == null ? null : new VolumeTemplate(path, driverName, driverType, bus);
    }

    private static void checkPath(String path, Problems problems) {
        String shown = Problems.shown(path);
        if (!path.startsWith("/")) {
            problems.found(VARIABLE, "$.path", shown, "an absolute path");
        }
        if (!path.contains("{name}")) {
            problems.found(VARIABLE, "$.path", shown, "a path containing {name}, so that every VM gets its own"
                    + " volume");
        }
        Matcher m = PLACEHOLDER.matcher(path);
        while (m.find()) {
            if (!m.group(1).equals("name")) {
                problems.found(VARIABLE, "$.path", shown, "no placeholder but {name} (found {" + m.group(1) + "})");
            }
        }
        if (List.of(path.split("/")).contains("..")) {
            problems.found(VARIABLE, "$.path", shown, "a path without '..' segments");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            problems.found(VARIABLE, "$.path", "a path with control characters", "printable characters only");
        }
    }

    private static String choice(JsonNode node, String path, List<String> allowed, String fallback,
            Problems problems) {
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual() || !allowed.contains(node.asText())) {
            problems.found(VARIABLE, path, Problems.shown(node), "one of " + String.join(", ", allowed));
            return fallback;
        }
        return node.asText();
    }
}

package dev.vmprov.config;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code LIBVIRT_NETWORK_TEMPLATE}: JSON merged into the generated {@code <interface>} element; {@code none}
 * gives VMs no network interface. The mapping (docs/network-template.md): {@code "@x"} is attribute x,
 * {@code "#text"} the element's text, any other key a child element (an object, a scalar for its text, or an
 * array for repeated elements). The template's attributes override the generated ones, and its child elements
 * replace generated children of the same name; the generated MAC address is always kept.
 */
public record NetworkTemplate(ObjectNode template) {

    public static final String VARIABLE = "LIBVIRT_NETWORK_TEMPLATE";
    public static final List<String> INTERFACE_TYPES = List.of("network", "bridge", "direct", "user", "ethernet",
            "vhostuser", "hostdev", "vdpa");
    private static final Pattern XML_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_DEPTH = 8;

    /** No template set: an interface on libvirt's "default" network with a virtio NIC. */
    public static final NetworkTemplate DEFAULT = new NetworkTemplate(null);
    /** {@code none}: no interface. */
    public static final NetworkTemplate NONE = new NetworkTemplate(new ObjectNode(null));

    public boolean disabled() {
        return this == NONE;
    }

    public static NetworkTemplate parse(String raw, Problems problems) {
        if (raw == null) {
            return DEFAULT;
        }
        if (raw.trim().equals("none")) {
            return NONE;
        }
        ObjectNode root = problems.object(VARIABLE, raw, "an object describing <interface>, like"
                + " {\"@type\": \"bridge\", \"source\": {\"@bridge\": \"br0\"}}, or none");
        if (root == null) {
            return DEFAULT;
        }
        int before = problems.messages().size();
        checkElement(root, "$", 0, problems);
        JsonNode type = root.get("@type");
        if (type != null && (!type.isTextual() || !INTERFACE_TYPES.contains(type.asText()))) {
            problems.found(VARIABLE, "$.@type", Problems.shown(type), "one of " + String.join(", ", INTERFACE_TYPES));
        }
        if (root.has("mac")) {
            problems.found(VARIABLE, "$.mac", Problems.shown(root.get("mac")), "no mac: vmprov generates a stable"
                    + " MAC address per VM");
        }
        return problems.messages().size() == before ? new NetworkTemplate(root) : DEFAULT;
    }

    private static void checkElement(JsonNode element, String path, int depth, Problems problems) {
        if (depth > MAX_DEPTH) {
            problems.found(VARIABLE, path, "elements nested more than " + MAX_DEPTH + " deep", "a shallower template");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "." + key;
            if (key.equals("#text") || key.startsWith("@")) {
                String name = key.equals("#text") ? "text" : key.substring(1);
                if (!key.equals("#text") && !XML_NAME.matcher(name).matches()) {
                    problems.found(VARIABLE, at, "an attribute name '" + name + "'", "an XML name (letters, digits,"
                            + " '_', '-', '.')");
                }
                if (!value.isValueNode() || value.isNull()) {
                    problems.found(VARIABLE, at, Problems.shown(value), "a string, number or boolean");
                }
                continue;
            }
            if (!XML_NAME.matcher(key).matches()) {
                problems.found(VARIABLE, at, "an element name '" + key + "'", "an XML name (letters, digits, '_',"
                        + " '-', '.'), '@attribute' or '#text'");
                continue;
            }
            checkChild(value, at, depth, problems);
        }
    }

    private static void checkChild(JsonNode value, String at, int depth, Problems problems) {
        if (value.isObject()) {
            checkElement(value, at, depth + 1, problems);
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (item.isArray()) {
                    problems.found(VARIABLE, at + "[" + i + "]", "an array", "an object or a scalar");
                } else {
                    checkChild(item, at + "[" + i + "]", depth, problems);
                }
            }
        } else if (value.isNull()) {
            problems.found(VARIABLE, at, "null", "an object, an array, or a string, number or boolean");
        }
    }
}

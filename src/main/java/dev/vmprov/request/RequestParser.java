package dev.vmprov.request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the raw bytes of a request record into a {@link ProvisioningRequest}, or an
 * {@link InvalidRequestException} listing every problem with its JSON path. The contract is
 * docs/request.schema.json; this class and that schema change together.
 */
public class RequestParser {

    private static final Set<String> TOP_LEVEL = Set.of("requestId", "action", "name", "policy", "resources");
    private static final Set<String> POLICY = Set.of("isolationTier");
    private static final Set<String> RESOURCES = Set.of("memoryMiB", "vcpus", "gpus");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ProvisioningRequest parse(byte[] payload, RecordOrigin origin) {
        if (payload == null || payload.length == 0) {
            throw new InvalidRequestException(List.of("payload is empty: expected a JSON object"));
        }
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonParseException e) {
            throw new InvalidRequestException(List.of("payload is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new InvalidRequestException(List.of("payload is not valid JSON: " + e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidRequestException(List.of("payload is empty: expected a JSON object"));
        }
        if (!root.isObject()) {
            throw new InvalidRequestException(List.of(
                    "$: expected a JSON object, found " + describe(root)));
        }
        List<String> problems = new ArrayList<>();
        unknownFields(root, "$", TOP_LEVEL, problems);

        String requestId = requiredString(root, "requestId", problems);
        if (requestId != null && !Limits.REQUEST_ID.matcher(requestId).matches()) {
            problems.add("$.requestId: '" + abbreviate(requestId) + "' is not a valid request id: expected 1-128 of"
                    + " letters, digits, '.', '_', ':' or '-', starting with a letter or digit (a UUID fits)");
        }
        String actionText = requiredString(root, "action", problems);
        Action action = null;
        if (actionText != null) {
            action = Action.fromWire(actionText).orElse(null);
            if (action == null) {
                problems.add("$.action: unknown action '" + abbreviate(actionText) + "': expected one of "
                        + Action.allowed());
            }
        }
        String name = requiredString(root, "name", problems);
        if (name != null && !Limits.VM_NAME.matcher(name).matches()) {
            problems.add("$.name: '" + abbreviate(name) + "' is not a valid VM name: expected 1-64 of letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit");
        }

        IsolationTier tier = null;
        JsonNode policy = root.get("policy");
        if (policy != null && !policy.isNull()) {
            if (!policy.isObject()) {
                problems.add("$.policy: expected an object, found " + describe(policy));
            } else {
                unknownFields(policy, "$.policy", POLICY, problems);
                JsonNode tierNode = policy.get("isolationTier");
                if (tierNode != null && !tierNode.isNull()) {
                    if (!tierNode.isTextual()) {
                        problems.add("$.policy.isolationTier: expected a string, found " + describe(tierNode));
                    } else {
                        tier = IsolationTier.fromWire(tierNode.asText()).orElse(null);
                        if (tier == null) {
                            problems.add("$.policy.isolationTier: unknown tier '" + abbreviate(tierNode.asText())
                                    + "': expected one of " + IsolationTier.allowed());
                        }
                    }
                }
            }
        }

        Integer memory = null;
        Integer vcpus = null;
        Integer gpus = null;
        JsonNode resources = root.get("resources");
        if (resources != null && !resources.isNull()) {
            if (!resources.isObject()) {
                problems.add("$.resources: expected an object, found " + describe(resources));
            } else {
                unknownFields(resources, "$.resources", RESOURCES, problems);
                memory = boundedInt(resources, "memoryMiB", "$.resources.memoryMiB",
                        Limits.MIN_MEMORY_MIB, Limits.MAX_MEMORY_MIB, problems);
                vcpus = boundedInt(resources, "vcpus", "$.resources.vcpus",
                        Limits.MIN_VCPUS, Limits.MAX_VCPUS, problems);
                gpus = boundedInt(resources, "gpus", "$.resources.gpus", 0, Limits.MAX_GPUS, problems);
            }
        }
        if (action != null && action != Action.CREATE) {
            if (present(policy)) {
                problems.add("$.policy: only a create request may set a policy; '" + action.wireName()
                        + "' acts on the existing domain");
            }
            if (present(resources)) {
                problems.add("$.resources: only a create request may set resources; '" + action.wireName()
                        + "' acts on the existing domain");
            }
        }
        if (name != null && origin != null && origin.key() != null && !origin.key().equals(name)) {
            problems.add("record key '" + abbreviate(origin.key()) + "' does not match $.name '" + abbreviate(name)
                    + "': publish with key = VM name so that requests for one VM stay in order");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new ProvisioningRequest(requestId, action, name, tier, memory, vcpus, gpus, origin);
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static void unknownFields(JsonNode object, String path, Set<String> allowed, List<String> problems) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                problems.add(path + ": unknown field '" + abbreviate(field) + "': expected only "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String requiredString(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            problems.add("$." + field + ": required field is missing");
            return null;
        }
        if (!node.isTextual()) {
            problems.add("$." + field + ": expected a string, found " + describe(node));
            return null;
        }
        return node.asText();
    }

    private static Integer boundedInt(JsonNode parent, String field, String path, int min, int max,
            List<String> problems) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            problems.add(path + ": expected a whole number from " + min + " to " + max + ", found " + describe(node));
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            problems.add(path + ": " + node.asText() + " is out of range: expected " + min + " to " + max);
            return null;
        }
        return node.intValue();
    }

    private static String describe(JsonNode node) {
        String kind = switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
        String shown = node.isContainerNode() ? "" : " " + abbreviate(node.toString());
        return kind + shown;
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}

package dev.vmprov.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {

    private final RequestParser parser = new RequestParser();
    private final RecordOrigin origin = new RecordOrigin("requests", 0, 7L, "web-1");

    private ProvisioningRequest parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), origin);
    }

    private List<String> problems(String json) {
        try {
            parse(json);
        } catch (InvalidRequestException e) {
            return e.problems();
        }
        throw new AssertionError("expected " + json + " to be rejected");
    }

    @Test
    void aFullCreateRequestIsParsed() {
        ProvisioningRequest r = parse("{\"requestId\":\"r-1\",\"action\":\"create\",\"name\":\"web-1\","
                + "\"policy\":{\"isolationTier\":\"hardened\"},\"resources\":{\"memoryMiB\":2048,\"vcpus\":4}}");
        assertThat(r).isEqualTo(new ProvisioningRequest("r-1", Action.CREATE, "web-1", IsolationTier.HARDENED,
                2048, 4, null, origin));
    }

    @Test
    void optionalPartsMayBeLeftOutOrNull() {
        ProvisioningRequest r = parse("{\"requestId\":\"r-1\",\"action\":\"create\",\"name\":\"web-1\","
                + "\"policy\":null,\"resources\":{\"vcpus\":2}}");
        assertThat(r.isolationTier()).isNull();
        assertThat(r.memoryMiB()).isNull();
        assertThat(r.vcpus()).isEqualTo(2);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        assertThat(problems("{\"requestId\":7,\"action\":\"fly\",\"name\":\"-x\",\"policy\":{\"isolationTier\":"
                + "\"gold\",\"extra\":1},\"resources\":{\"memoryMiB\":8,\"vcpus\":\"two\"}}"))
                .containsExactlyInAnyOrder(
                        "$.requestId: expected a string, found a number 7",
                        "$.action: unknown action 'fly': expected one of create, start, stop, reboot, delete",
                        "$.name: '-x' is not a valid VM name: expected 1-64 of letters, digits, '.', '_' or '-',"
                                + " starting with a letter or digit",
                        "$.policy: unknown field 'extra': expected only isolationTier",
                        "$.policy.isolationTier: unknown tier 'gold': expected one of standard, hardened, confidential",
                        "$.resources.memoryMiB: 8 is out of range: expected 16 to 4194304",
                        "$.resources.vcpus: expected a whole number from 1 to 512, found a string \"two\"",
                        "record key 'web-1' does not match $.name '-x': publish with key = VM name so that requests"
                                + " for one VM stay in order");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                          | payload is empty",
            "not json                                    | payload is not valid JSON",
            "[1,2]                                       | $: expected a JSON object, found an array",
            "\"text\"                                    | $: expected a JSON object, found a string",
            "{\"requestId\":\"a\",\"requestId\":\"b\"}   | Duplicate field 'requestId'",
            "{}                                          | $.requestId: required field is missing",
            "{\"requestId\":\"has space\"}               | is not a valid request id",
            "{\"requestId\":\"a\",\"action\":\"stop\",\"name\":\"web-1\",\"resources\":{\"vcpus\":1}} | only a create request may set resources",
            "{\"requestId\":\"a\",\"action\":\"stop\",\"name\":\"web-1\",\"policy\":{}}  | only a create request may set a policy",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"memoryMiB\":1024.5}} | expected a whole number",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"memoryMiB\":99999999999}} | is out of range",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-2\"} | record key 'web-1' does not match $.name 'web-2'",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"a/b\"} | is not a valid VM name",
    })
    void badInputIsRejectedWithAClearReason(String json, String expected) {
        assertThat(String.join("\n", problems(json))).contains(expected);
    }

    @Test
    void aMissingKeyIsAcceptedSinceKafkaToolsOftenSendNone() {
        ProvisioningRequest r = parser.parse("{\"requestId\":\"a\",\"action\":\"start\",\"name\":\"web-9\"}"
                .getBytes(StandardCharsets.UTF_8), new RecordOrigin("requests", 0, 1L, null));
        assertThat(r.action()).isEqualTo(Action.START);
    }

    @Test
    void longValuesAreAbbreviatedInMessages() {
        String longName = "x".repeat(500);
        assertThatThrownBy(() -> parse("{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"" + longName + "\"}"))
                .hasMessageContaining("xxx...").hasMessageNotContaining(longName);
    }

    @Test
    void defaultsFillOnlyWhatACreateLeavesOut() {
        DefaultsPolicy defaults = new DefaultsPolicy(IsolationTier.HARDENED, 768, 3);
        ProvisioningRequest create = parse("{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\","
                + "\"resources\":{\"vcpus\":1}}");
        assertThat(defaults.apply(create)).extracting(ProvisioningRequest::isolationTier,
                ProvisioningRequest::memoryMiB, ProvisioningRequest::vcpus, ProvisioningRequest::gpus)
                .containsExactly(IsolationTier.HARDENED, 768, 1, 0);
        ProvisioningRequest stop = parse("{\"requestId\":\"a\",\"action\":\"stop\",\"name\":\"web-1\"}");
        assertThat(defaults.apply(stop)).isEqualTo(stop);
    }
}

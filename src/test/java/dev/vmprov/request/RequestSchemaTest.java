package dev.vmprov.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * docs/request.schema.json and the pipeline's parser agree: what the schema accepts the parser accepts, and what
 * it rejects the parser rejects (the record key, which the schema cannot see, is left out).
 */
class RequestSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void load() throws Exception {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("docs/request.schema.json")));
    }

    private static boolean parserAccepts(String json) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> new RequestParser()
                .parse(json.getBytes(StandardCharsets.UTF_8), new RecordOrigin("t", 0, 0L, null)));
        return e == null;
    }

    private static Set<ValidationMessage> schemaProblems(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return schema.validate(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "start", "stop", "reboot", "delete"})
    void theExamplesPassTheSchema(String action) throws Exception {
        assertThat(schemaProblems(Files.readString(Path.of("docs/examples", action + ".json")))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\"}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"memoryMiB\":16,\"vcpus\":512,\"gpus\":0}}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"policy\":{\"isolationTier\":\"confidential\"}}",
            "{\"requestId\":\"a\",\"action\":\"stop\",\"name\":\"web-1\",\"policy\":null}",
            "{\"requestId\":\"a:b.c-d_e\",\"action\":\"delete\",\"name\":\"a.b_c-d\"}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"memoryMiB\":4194304}}",
    })
    void bothAcceptAValidRequest(String json) throws Exception {
        assertThat(schemaProblems(json)).as("schema").isEmpty();
        assertThat(parserAccepts(json)).as("parser").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "[]",
            "{\"requestId\":\"a\",\"action\":\"explode\",\"name\":\"web-1\"}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"bad name\"}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"-web\"}",
            "{\"requestId\":\"has space\",\"action\":\"create\",\"name\":\"web-1\"}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"memoryMiB\":15}}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"vcpus\":513}}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"gpus\":17}}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"vcpus\":1.5}}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"resources\":{\"vcpus\":\"2\"}}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"extra\":1}",
            "{\"requestId\":\"a\",\"action\":\"create\",\"name\":\"web-1\",\"policy\":{\"isolationTier\":\"gold\"}}",
            "{\"requestId\":\"a\",\"action\":\"stop\",\"name\":\"web-1\",\"resources\":{\"vcpus\":1}}",
            "{\"requestId\":\"a\",\"action\":\"reboot\",\"name\":\"web-1\",\"policy\":{}}",
            "{\"requestId\":7,\"action\":\"create\",\"name\":\"web-1\"}",
    })
    void bothRejectAnInvalidRequest(String json) throws Exception {
        assertThat(schemaProblems(json)).as("schema").isNotEmpty();
        assertThat(parserAccepts(json)).as("parser").isFalse();
    }
}

package dev.vmprov.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The examples in docs/examples are requests the pipeline accepts, one per action. */
class DocumentedExamplesTest {

    @ParameterizedTest
    @EnumSource(Action.class)
    void theExampleForEachActionIsAValidRequest(Action action) throws Exception {
        byte[] json = Files.readAllBytes(Path.of("docs/examples", action.wireName() + ".json"));
        ProvisioningRequest request = new RequestParser().parse(json, new RecordOrigin("docs", 0, 0L, "web-1"));
        assertThat(request.action()).isEqualTo(action);
        assertThat(request.name()).isEqualTo("web-1");
    }
}

package dev.vmprov.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.vmprov.config.Credentials;
import dev.vmprov.config.Secret;
import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.StatusEvent.DomainFacts;
import dev.vmprov.events.VmState;
import dev.vmprov.request.Action;
import dev.vmprov.request.IsolationTier;
import dev.vmprov.request.ProvisioningRequest;
import dev.vmprov.request.RecordOrigin;
import dev.vmprov.support.TestDatabases;

/** The store on both real databases: the migrations, one row per VM following the transitions, no secrets. */
class VmInstanceStoreTest {

    private static String url(String database) {
        return database.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
    }

    private static ProvisioningRequest request(Action action, String name) {
        return new ProvisioningRequest(UUID.randomUUID().toString(), action, name, IsolationTier.HARDENED, 768, 2, 0,
                RecordOrigin.local("test"));
    }

    private static StatusEvent event(ProvisioningRequest r, VmState state, String reason, DomainFacts facts) {
        return StatusEvent.of(r, "libvirt", state, reason, null, facts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRowFollowsEveryTransitionOfItsVm(String database) throws Exception {
        Credentials credentials = new Credentials("ops", new Secret("pw-in-env-123"),
                Path.of("/run/secrets/libvirt"));
        try (Store store = Store.open(url(database), null, null)) {
            VmInstanceStore instances = new VmInstanceStore(store.dataSource(),
                    "qemu+ssh://ops:sshpass-456@host/system?keyfile=/k&password=qp-789", CredentialSnapshot.of(credentials));
            ProvisioningRequest create = request(Action.CREATE, "web-1");
            DomainFacts requested = DomainFacts.of(create);
            DomainFacts defined = new DomainFacts("hardened", 768, 2, List.of("0000:65:00.0"), "uuid-1");
            instances.record(event(create, VmState.ACCEPTED, null, requested));
            assertThat(instances.find("web-1")).get().extracting(VmInstance::state, VmInstance::uuid)
                    .containsExactly("accepted", null);
            instances.record(event(create, VmState.DEFINED, null, defined));
            instances.record(event(create, VmState.RUNNING, null, defined));

            VmInstance row = instances.find("web-1").orElseThrow();
            assertThat(row.state()).isEqualTo("running");
            assertThat(row.uuid()).isEqualTo("uuid-1");
            assertThat(row.isolationTier()).isEqualTo("hardened");
            assertThat(row.memoryMiB()).isEqualTo(768);
            assertThat(row.vcpus()).isEqualTo(2);
            assertThat(row.gpus()).containsExactly("0000:65:00.0");
            assertThat(row.driver()).isEqualTo("libvirt");
            assertThat(row.connectionUri()).isEqualTo("qemu+ssh://ops@host/system?keyfile=/k");
            assertThat(row.credentials()).isEqualTo(new CredentialSnapshot("ops", true, "file",
                    "/run/secrets/libvirt"));
            assertThat(row.lastRequestId()).isEqualTo(create.requestId());
            assertThat(row.lastAction()).isEqualTo("create");
            assertThat(row.lastError()).isNull();

            ProvisioningRequest reboot = request(Action.REBOOT, "web-1");
            instances.record(event(reboot, VmState.ACCEPTED, null, DomainFacts.of(reboot)));
            instances.record(event(reboot, VmState.FAILED, "libvirt: domain is not running", DomainFacts.of(reboot)));
            row = instances.find("web-1").orElseThrow();
            assertThat(row.state()).isEqualTo("failed");
            assertThat(row.lastError()).isEqualTo("libvirt: domain is not running");
            assertThat(row.memoryMiB()).as("values an event leaves out are kept").isEqualTo(768);
            assertThat(row.gpus()).containsExactly("0000:65:00.0");
            assertThat(row.updatedAt()).isAfterOrEqualTo(row.createdAt());

            instances.record(event(reboot, VmState.DUPLICATE, null, DomainFacts.of(reboot)));
            assertThat(instances.find("web-1").orElseThrow().state()).as("a duplicate is not a transition")
                    .isEqualTo("failed");

            ProvisioningRequest delete = request(Action.DELETE, "web-1");
            instances.record(event(delete, VmState.DELETED, null, defined));
            row = instances.find("web-1").orElseThrow();
            assertThat(row.state()).isEqualTo("deleted");
            assertThat(row.gpus()).as("a deleted domain holds no GPUs").isEmpty();
            assertThat(row.lastError()).isNull();

            instances.record(event(request(Action.CREATE, "db-1"), VmState.ACCEPTED, null, requested));
            assertThat(instances.list()).extracting(VmInstance::name).containsExactly("db-1", "web-1");

            // nothing secret anywhere in the table
            List<String> everything = new ArrayList<>();
            try (Connection c = store.dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT * FROM runtime_vm_instances")) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        everything.add(String.valueOf(rs.getObject(i)));
                    }
                }
            }
            assertThat(String.join("|", everything)).doesNotContain("pw-in-env-123").doesNotContain("sshpass-456")
                    .doesNotContain("qp-789");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void migrationsRunOnceAndAreRecorded(String database) throws Exception {
        String url = url(database);
        try (Store first = Store.open(url, null, null)) {
            first.dataSource().getConnection().close();
        }
        try (Store again = Store.open(url, null, null);
             Connection c = again.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactly("1", "2");
        }
    }

    @org.junit.jupiter.api.Test
    void uriSanitizingRemovesSecretsOnly() {
        assertThat(ConnectionUris.sanitize("qemu:///system")).isEqualTo("qemu:///system");
        assertThat(ConnectionUris.sanitize("qemu+tcp://alice:pw@10.0.0.1/system?no_verify=1&passwd=x"))
                .isEqualTo("qemu+tcp://alice@10.0.0.1/system?no_verify=1");
        assertThat(ConnectionUris.sanitize("qemu+ssh://root@host/system?keyfile=/root/.ssh/id"))
                .isEqualTo("qemu+ssh://root@host/system?keyfile=/root/.ssh/id");
        assertThat(ConnectionUris.sanitizeJdbc("jdbc:postgresql://db/x?user=a&password=b&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=***&ssl=true");
    }
}

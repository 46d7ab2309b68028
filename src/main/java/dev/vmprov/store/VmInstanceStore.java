package dev.vmprov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vmprov.events.StatusEvent;
import dev.vmprov.events.VmState;

/**
 * The runtime_vm_instances table: one row per VM, updated on every transition in the order of the status events
 * (the pipeline calls {@link #record} just before publishing each event). Plain JDBC, portable between H2 and
 * PostgreSQL. Requests for one VM are handled by one thread in order, so a row is never written concurrently.
 */
public class VmInstanceStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "name, uuid, state, isolation_tier, memory_mib, vcpus, gpu_devices, driver,"
            + " connection_uri, credentials, last_request_id, last_action, last_error, created_at, updated_at";

    private final DataSource dataSource;
    private final String connectionUri;
    private final String credentials;

    public VmInstanceStore(DataSource dataSource, String connectionUri, CredentialSnapshot credentials) {
        this.dataSource = dataSource;
        this.connectionUri = ConnectionUris.sanitize(connectionUri);
        try {
            this.credentials = JSON.writeValueAsString(credentials);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records one transition. Values the event leaves out (a failed start knows no sizing) keep what the row had.
     * {@code duplicate} events are not transitions and change nothing.
     */
    public void record(StatusEvent event) throws SQLException {
        if (event.state() == VmState.DUPLICATE || event.state() == VmState.RETRYING) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.parse(event.timestamp()), ZoneOffset.UTC);
        String gpus = event.gpus() == null ? null : String.join(",", event.gpus());
        String error = event.state() == VmState.FAILED ? event.reason() : null;
        try (Connection c = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement update = c.prepareStatement("UPDATE runtime_vm_instances SET"
                    + " uuid = COALESCE(?, uuid), state = ?, isolation_tier = COALESCE(?, isolation_tier),"
                    + " memory_mib = COALESCE(?, memory_mib), vcpus = COALESCE(?, vcpus),"
                    + " gpu_devices = CASE WHEN ? THEN ? ELSE gpu_devices END, driver = ?, connection_uri = ?,"
                    + " credentials = ?, last_request_id = ?, last_action = ?, last_error = ?,"
                    + " created_at = CASE WHEN ? THEN ? ELSE created_at END, updated_at = ? WHERE name = ?")) {
                int i = 1;
                update.setString(i++, event.uuid());
                update.setString(i++, event.state().wireName());
                update.setString(i++, event.isolationTier());
                setInt(update, i++, event.memoryMiB());
                setInt(update, i++, event.vcpus());
                // a newly defined or deleted domain holds exactly the GPUs its event lists
                boolean gpusKnown = event.gpus() != null || event.state() == VmState.DEFINED
                        || event.state() == VmState.DELETED;
                update.setBoolean(i++, gpusKnown);
                update.setString(i++, event.state() == VmState.DELETED ? null : gpus);
                update.setString(i++, event.driver());
                update.setString(i++, connectionUri);
                update.setString(i++, credentials);
                update.setString(i++, event.requestId());
                update.setString(i++, event.action());
                update.setString(i++, error);
                update.setBoolean(i++, event.state() == VmState.DEFINED);
                update.setObject(i++, now);
                update.setObject(i++, now);
                update.setString(i, event.name());
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO runtime_vm_instances (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = 1;
                    insert.setString(i++, event.name());
                    insert.setString(i++, event.uuid());
                    insert.setString(i++, event.state().wireName());
                    insert.setString(i++, event.isolationTier());
                    setInt(insert, i++, event.memoryMiB());
                    setInt(insert, i++, event.vcpus());
                    insert.setString(i++, gpus);
                    insert.setString(i++, event.driver());
                    insert.setString(i++, connectionUri);
                    insert.setString(i++, credentials);
                    insert.setString(i++, event.requestId());
                    insert.setString(i++, event.action());
                    insert.setString(i++, error);
                    insert.setObject(i++, now);
                    insert.setObject(i, now);
                    insert.executeUpdate();
                }
            }
        }
    }

    public Optional<VmInstance> find(String name) throws SQLException {
        List<VmInstance> rows = query("SELECT " + COLUMNS + " FROM runtime_vm_instances WHERE name = ?", name);
        return rows.stream().findFirst();
    }

    public List<VmInstance> list() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM runtime_vm_instances ORDER BY name", null);
    }

    private List<VmInstance> query(String sql, String name) throws SQLException {
        List<VmInstance> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (name != null) {
                s.setString(1, name);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    private static VmInstance row(ResultSet rs) throws SQLException {
        String gpus = rs.getString("gpu_devices");
        CredentialSnapshot credentials;
        try {
            credentials = JSON.readValue(rs.getString("credentials"), CredentialSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable credentials snapshot for " + rs.getString("name"), e);
        }
        return new VmInstance(rs.getString("name"), rs.getString("uuid"), rs.getString("state"),
                rs.getString("isolation_tier"), (Integer) rs.getObject("memory_mib"), (Integer) rs.getObject("vcpus"),
                gpus == null || gpus.isEmpty() ? List.of() : Arrays.asList(gpus.split(",")),
                rs.getString("driver"), rs.getString("connection_uri"), credentials,
                rs.getString("last_request_id"), rs.getString("last_action"), rs.getString("last_error"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }
}

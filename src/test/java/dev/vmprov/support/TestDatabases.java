package dev.vmprov.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import dev.vmprov.local.LocalKafkaBroker;

/**
 * The real databases of the tests: an H2 file in a temporary directory, and a schema of its own in the
 * PostgreSQL on 127.0.0.1:5432 (trust auth, database test). VMPROV_TEST_POSTGRES_URL points elsewhere.
 */
public final class TestDatabases {

    public static final String POSTGRES = System.getenv().getOrDefault("VMPROV_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestDatabases() {
    }

    public static String h2() {
        return "jdbc:h2:file:" + LocalKafkaBroker.temporaryDataDir().resolve("store");
    }

    /** A fresh schema in the test database, so runs never see each other's rows. */
    public static String postgres() {
        String schema = "vmprov_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(schema)));
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES + " is not reachable: " + e.getMessage()
                    + " (the tests need it: start it, or set VMPROV_TEST_POSTGRES_URL)", e);
        }
        return POSTGRES + "&currentSchema=" + schema;
    }

    /** Leaves the shared test database as it was found. */
    private static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException ignored) {
            // the database is gone already
        }
    }
}

package dev.vmprov.store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.vmprov.config.Secret;

/**
 * The database behind the runtime_vm_instances table and the processed request ids: an embedded H2 file by
 * default, PostgreSQL in production. The schema is created and upgraded by the Flyway migrations in
 * src/main/resources/db/migration before anything else uses it.
 */
public final class Store implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Store(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Store open(String url, String user, Secret password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(new String(password.reveal()));
        }
        hikari.setMaximumPoolSize(8);
        hikari.setPoolName("vmprov-store");
        hikari.setInitializationFailTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Store(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

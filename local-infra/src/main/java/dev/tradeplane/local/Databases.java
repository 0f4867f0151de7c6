package dev.tradeplane.local;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Database administration on a PostgreSQL server. */
public final class Databases {

    /** SQLSTATE duplicate_database: another client created it between our check and our CREATE. */
    private static final String DUPLICATE_DATABASE = "42P04";
    /** SQLSTATE unique_violation: the same race, seen on pg_database's unique index. */
    private static final String UNIQUE_VIOLATION = "23505";

    private Databases() {
    }

    /**
     * Creates {@code database} on the server of {@code server} unless it exists. Connects over JDBC to the
     * {@code postgres} maintenance database with the endpoint's user and password. Safe to call concurrently.
     *
     * @throws IllegalStateException if the server cannot be reached or refuses
     */
    public static void createIfMissing(PostgresEndpoint server, String database) {
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("database name must not be blank");
        }
        PostgresEndpoint maintenance = server.withDatabase("postgres");
        try (Connection connection = connect(maintenance)) {
            if (exists(connection, database)) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + quoteIdentifier(database));
            } catch (SQLException e) {
                if (!DUPLICATE_DATABASE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database '" + database + "' on PostgreSQL at "
                    + server.hostAndPort() + " as user '" + server.user() + "': " + e.getMessage(), e);
        }
    }

    /** Whether {@code database} exists on the server of {@code server}. */
    public static boolean exists(PostgresEndpoint server, String database) {
        try (Connection connection = connect(server.withDatabase("postgres"))) {
            return exists(connection, database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not query PostgreSQL at " + server.hostAndPort() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Opens a JDBC connection to {@code endpoint}. The caller closes it. */
    public static Connection connect(PostgresEndpoint endpoint) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", endpoint.user());
        if (!endpoint.password().isEmpty()) {
            properties.setProperty("password", endpoint.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "tradeplane-local-infra");
        // The driver directly, not DriverManager: DriverManager only hands out drivers visible to the caller's class
        // loader, which is not a given inside Quarkus' test class loaders.
        Connection connection = new org.postgresql.Driver().connect(endpoint.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not accept the URL " + endpoint.jdbcUrl());
        }
        return connection;
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}

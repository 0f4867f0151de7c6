package dev.tradeplane.local;

import java.util.Objects;

/**
 * Where a PostgreSQL database is, and how to log in to it.
 *
 * <p>{@link #toString()} masks the password, so an endpoint can be logged safely.
 *
 * @param host     host name or IP address (an IPv6 literal without brackets is fine)
 * @param port     TCP port
 * @param database database name
 * @param user     user name
 * @param password password; empty when the server trusts the connection (never {@code null})
 */
public record PostgresEndpoint(String host, int port, String database, String user, String password) {

    /** Validates the components; a {@code null} password becomes an empty one. */
    public PostgresEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("PostgreSQL port out of range: " + port);
        }
    }

    /** The URL in the form Quarkus' {@code quarkus.datasource.reactive.url} takes: {@code postgresql://host:port/database}. */
    public String reactiveUrl() {
        return "postgresql://" + hostAndPort() + "/" + database;
    }

    /** The JDBC URL: {@code jdbc:postgresql://host:port/database}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostAndPort() + "/" + database;
    }

    /** The same server and credentials, another database on it. */
    public PostgresEndpoint withDatabase(String database) {
        return new PostgresEndpoint(host, port, database, user, password);
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    public String hostAndPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "****") + "]";
    }
}

package dev.tradeplane.local.testing;

import dev.tradeplane.local.PostgresEndpoint;
import dev.tradeplane.local.RedisEndpoint;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the PostgreSQL and Redis of {@link TestInfrastructure}.
 *
 * <pre>{@code
 * @QuarkusTestResource(value = InfrastructureResource.class,
 *         initArgs = @ResourceArg(name = "database", value = "tradeplane_test_engine"))
 * }</pre>
 *
 * <p>Argument {@code database} (default {@value #DEFAULT_DATABASE}) names the database, created if missing. The
 * configuration it supplies: {@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password} (only when there is one) and
 * {@code quarkus.redis.hosts}. The servers are shared by every test of the JVM and outlive {@link #stop()}.
 */
public final class InfrastructureResource implements QuarkusTestResourceLifecycleManager {

    /** The database used when no {@code database} argument is given. */
    public static final String DEFAULT_DATABASE = "tradeplane_test";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        String value = initArgs.get("database");
        if (value != null) {
            if (value.isBlank()) {
                throw new IllegalArgumentException("InfrastructureResource: the 'database' argument is blank");
            }
            database = value.trim();
        }
    }

    @Override
    public Map<String, String> start() {
        PostgresEndpoint postgres = TestInfrastructure.postgres(database);
        RedisEndpoint redis = TestInfrastructure.redis();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", postgres.user());
        if (!postgres.password().isEmpty()) {
            config.put("quarkus.datasource.password", postgres.password());
        }
        config.put("quarkus.redis.hosts", redis.url());
        return config;
    }

    @Override
    public void stop() {
        // The servers are JVM-wide and stop when the JVM exits.
    }
}

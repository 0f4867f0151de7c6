package dev.tradeplane.engine.support;

import dev.tradeplane.local.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every @QuarkusTest of the engine runs against real PostgreSQL and Redis, in a database of its own. */
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "tradeplane_test_engine"))
public final class EngineTestInfrastructure {

    private EngineTestInfrastructure() {}
}

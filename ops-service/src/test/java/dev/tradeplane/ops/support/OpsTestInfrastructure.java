package dev.tradeplane.ops.support;

import dev.tradeplane.local.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every @QuarkusTest of OPS runs against real PostgreSQL and Redis (a database of its own) the fake engine and the fake Telegram Bot API. */
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "tradeplane_test_ops"))
@QuarkusTestResource(value = FakeEngine.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeTelegram.class, restrictToAnnotatedClass = false)
public final class OpsTestInfrastructure {

    private OpsTestInfrastructure() {}
}

package dev.tradeplane.engine.venue.binance;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.venue.VenueContract;
import dev.tradeplane.fakebinance.FakeBinance;
import dev.tradeplane.model.Side;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Binance adapter keeps the venue contract, against a fake Binance of its own (not the engine's: nothing else
 * sends it orders or reconciles its account) with a still book of 0.5 BTC a level, 64995 to 64999 and 65001 to
 * 65005; resting orders fill when the fake's takers trade through them, reported on the user-data stream.
 */
@QuarkusTest
@TestProfile(BinanceVenueContractTest.OwnFake.class)
class BinanceVenueContractTest extends VenueContract {

    /**
     * The engine as usual (no Binance venue of its own), and a fake Binance started before it: Vert.x serves
     * WebSockets only from servers created before Quarkus turns them off in this JVM.
     */
    public static class OwnFake implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeResource.class));
        }
    }

    public static class FakeResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            fake = FakeBinance.start();
            dev.tradeplane.engine.support.FakeBinanceResource.standardBook(fake);
            return Map.of();
        }

        @Override
        public void stop() {
            if (fake != null) {
                fake.close();
                fake = null;
            }
        }
    }

    private static volatile FakeBinance fake;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper mapper;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    BinanceOrderIds orderIds;

    @Override
    protected Created create() {
        String b = "tradeplane.binance.";
        BinanceConfig config = config(BinanceConfig.class, Map.ofEntries(
                        Map.entry(b + "enabled", "true"),
                        Map.entry(b + "name", "CONTRACTB"),
                        Map.entry(b + "base-url", fake.httpUrl()),
                        Map.entry(b + "ws-url", fake.wsUrl()),
                        Map.entry(b + "ws-api-url", fake.wsApiUrl()),
                        Map.entry(b + "api-key", FakeBinance.API_KEY),
                        Map.entry(b + "api-secret", FakeBinance.SECRET),
                        Map.entry(b + "symbols", "BTCUSDT"),
                        Map.entry(b + "depth-limit", "100"),
                        Map.entry(b + "poll-interval", "300ms"),
                        Map.entry(b + "reconnect-min", "100ms"),
                        Map.entry(b + "reconnect-max", "1s"),
                        Map.entry(b + "request-timeout", "5s")));
        BinanceVenue venue = new BinanceVenue(config, vertx, mapper, clock, registry, orderIds);
        return new Created(venue, venue::stop);
    }

    @Override
    protected void fillAtTouch(String clientOrderId, Side side, BigDecimal price, BigDecimal quantity) {
        // A taker on the other side trades through the price: the buyer is the maker when a seller hits our bid.
        await().atMost(Duration.ofSeconds(20)).until(() -> ((BinanceVenue) venue()).userStreamConnected());
        fake.trade(symbol(), price, quantity, side == Side.BUY);
    }
}

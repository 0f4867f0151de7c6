package dev.tradeplane.engine.venue.paper;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.venue.VenueContract;
import dev.tradeplane.model.Side;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The paper venue keeps the venue contract. A venue of its own (not the engine's), whose market stands still until
 * the test steps it: then its fair price falls, and its sellers hit the bids above the new one, ours included.
 */
@QuarkusTest
class PaperVenueContractTest extends VenueContract {

    @Inject
    Clock clock;

    @Inject
    ObjectMapper mapper;

    @Inject
    Pool pool;

    @Override
    protected Created create() {
        String p = "tradeplane.paper.";
        String btc = p + "instruments.BTCUSDT.";
        PaperConfig config = config(PaperConfig.class, Map.ofEntries(
                        Map.entry(p + "name", "CONTRACT"),
                        Map.entry(p + "tick-interval", "0s"),
                        Map.entry(p + "initial-balances.USDT", "1000000"),
                        Map.entry(btc + "base-asset", "BTC"),
                        Map.entry(btc + "quote-asset", "USDT"),
                        Map.entry(btc + "tick-size", "0.01"),
                        Map.entry(btc + "lot-size", "0.00001"),
                        Map.entry(btc + "min-notional", "5"),
                        Map.entry(btc + "initial-price", "65000"),
                        Map.entry(btc + "level-quantity", "0.5"),
                        Map.entry(btc + "volatility-bps", "0"),
                        Map.entry(btc + "drift-bps", "-1"),
                        Map.entry(btc + "trade-rate", "0")));
        PaperVenue venue = new PaperVenue(config, clock, mapper, pool);
        return new Created(venue, venue::stop);
    }

    @Override
    protected void fillAtTouch(String clientOrderId, Side side, BigDecimal price, BigDecimal quantity) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ((PaperVenue) venue()).advance().await().atMost(Duration.ofSeconds(5));
            return REPORTED.stream().anyMatch(r -> r.clientOrderId().equals(clientOrderId) && r.done());
        });
    }
}

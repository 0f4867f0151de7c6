package dev.tradeplane.engine.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.LimitSet;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.RiskLimits;
import dev.tradeplane.model.Side;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each pre-trade check at its boundary: exactly at the limit passes, one tick (or lot, or order) over is refused. */
class RiskRailsTest {

    private static final InstrumentId BTC = new InstrumentId("BTCUSDT", "PAPER");
    private static final InstrumentId ETH = new InstrumentId("ETHUSDT", "PAPER");
    private static final Instrument RULES = new Instrument("BTCUSDT.PAPER", "PAPER", "BTC", "USDT", new BigDecimal("0.01"),
            new BigDecimal("0.001"), new BigDecimal("10"));
    private static final BigDecimal MID = new BigDecimal("100.00");

    private final MutableClock clock = new MutableClock();
    private RiskLimitsStore store;
    private ExposureLedger ledger;
    private RiskMonitor monitor;
    private RiskRails rails;

    private void limits(LimitSet global, Map<String, LimitSet> venues, Map<String, LimitSet> models, Map<String, LimitSet> symbols) {
        RiskConfig config = new DefaultsOnly();
        store = new RiskLimitsStore(null, null, null, null, clock, null, config);
        store.use(new RiskLimits(global, venues, models, symbols, 1L, null));
        ledger = new ExposureLedger();
        TradingGuard guard = new TradingGuard(null, null, null, null, clock, config, new SimpleMeterRegistry(), new VenueHealth(clock));
        monitor = new RiskMonitor(null, null, null, null, store, guard, null, null, config, null, clock, new SimpleMeterRegistry());
        rails = new RiskRails(store, guard, ledger, new RateLimiter(clock), monitor, null);
    }

    private void global(LimitSet set) {
        limits(set, Map.of(), Map.of(), Map.of());
    }

    private static LimitSet set() {
        return LimitSet.NONE;
    }

    private RiskDecision check(Side side, OrderType type, String quantity, String price, Exposure exposure) {
        return check("m", side, type, quantity, price, exposure);
    }

    private RiskDecision check(String model, Side side, OrderType type, String quantity, String price, Exposure exposure) {
        BigDecimal q = new BigDecimal(quantity);
        BigDecimal p = new BigDecimal(price);
        return rails.check(new RiskRequest(BTC, RULES, model, side, type, q, p, type == OrderType.LIMIT ? p : null, MID,
                exposure, q, q, 1, false, false));
    }

    private static void rejects(RejectReason reason, RiskDecision decision) {
        assertEquals(reason, assertInstanceOf(RiskDecision.Rejected.class, decision).reason());
    }

    @Test
    void maxOrderQuantity() {
        global(new LimitSet(new BigDecimal("2"), null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "2.000", "100.00", Exposure.NONE));
        RiskDecision.Rejected r = assertInstanceOf(RiskDecision.Rejected.class, check(Side.BUY, OrderType.LIMIT, "2.001", "100.00", Exposure.NONE));
        assertEquals(RejectReason.MAX_ORDER_QUANTITY, r.reason());
        assertEquals(0, new BigDecimal("2").compareTo(r.limit()));
        assertEquals(0, new BigDecimal("2.001").compareTo(r.value()));
    }

    @Test
    void maxOrderNotional() {
        global(new LimitSet(null, new BigDecimal("1000"), null, null, null, null, null, null, null, null, null, null, null, null));
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "10", "100.00", Exposure.NONE));
        RiskDecision.Rejected r = assertInstanceOf(RiskDecision.Rejected.class, check(Side.BUY, OrderType.LIMIT, "10", "100.01", Exposure.NONE));
        assertEquals(RejectReason.MAX_ORDER_NOTIONAL, r.reason());
        assertEquals(0, new BigDecimal("1000.1").compareTo(r.value()));
    }

    @Test
    void maxPositionCountsTheNetPositionAndWorkingOrdersOnTheSameSide() {
        global(new LimitSet(null, null, new BigDecimal("10"), new BigDecimal("1000"), null, null, null, null, null, null, null, null, null, null));
        Exposure exposure = new Exposure(new BigDecimal("4"), new BigDecimal("3"), new BigDecimal("50"));
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "3", "100.00", exposure));
        rejects(RejectReason.MAX_POSITION, check(Side.BUY, OrderType.LIMIT, "3.001", "99.99", exposure));
        rejects(RejectReason.MAX_POSITION, check(Side.BUY, OrderType.LIMIT, "3", "100.01", exposure));
        RiskDecision.Rejected s = assertInstanceOf(RiskDecision.Rejected.class, check(Side.SELL, OrderType.LIMIT, "4", "100.00", exposure));
        assertEquals(RejectReason.MAX_POSITION, s.reason());
    }

    @Test
    void priceBandAgainstTheMid() {
        global(new LimitSet(null, null, null, null, null, null, new BigDecimal("100"), null, null, null, null, null, null, null));
        // 100 bps through a mid of 100 is 101.00 for a buy, 99.00 for a sell.
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "101.00", Exposure.NONE));
        rejects(RejectReason.PRICE_BAND, check(Side.BUY, OrderType.LIMIT, "1", "101.01", Exposure.NONE));
        assertEquals(RiskDecision.ACCEPTED, check(Side.SELL, OrderType.LIMIT, "1", "99.00", Exposure.NONE));
        rejects(RejectReason.PRICE_BAND, check(Side.SELL, OrderType.LIMIT, "1", "98.99", Exposure.NONE));
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "50.00", Exposure.NONE), "passive prices are not limited");
    }

    @Test
    void maxOpenOrdersPerModelAndVenue() {
        global(new LimitSet(null, null, null, null, null, null, null, 3, null, null, null, null, null, null));
        for (int i = 0; i < 3; i++) {
            assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        }
        RiskDecision.Rejected r = assertInstanceOf(RiskDecision.Rejected.class, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        assertEquals(RejectReason.MAX_OPEN_ORDERS, r.reason());
        assertEquals(0, new BigDecimal("4").compareTo(r.value()));
        assertEquals(3, ledger.scope(ExposureLedger.modelScope("m")).openOrders(), "the refused order reserved nothing");
        ledger.apply(BTC, "m", BigDecimal.ZERO, Side.BUY, new BigDecimal("-1"), -1);
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
    }

    @Test
    void grossAndNetExposureAcrossInstruments() {
        global(new LimitSet(null, null, null, null, new BigDecimal("1000"), new BigDecimal("600"), null, null, null, null, null, null, null, null));
        // Another instrument already holds 4 at a mark of... the ledger values ETH at nothing here (no valuation), so hold BTC.
        ledger.apply(BTC, "m", new BigDecimal("5"), Side.BUY, BigDecimal.ZERO, 0);
        // gross: 5 held + 1 buy = 6 at 100 = 600; net 600: both at their limits? net limit 600 passes exactly.
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "95.00", Exposure.NONE));
        rejects(RejectReason.MAX_NET_EXPOSURE, check(Side.BUY, OrderType.LIMIT, "0.11", "95.00", Exposure.NONE));
        // Sells reduce the net but add to the worst-case gross only if they flip the position.
        assertEquals(RiskDecision.ACCEPTED, check(Side.SELL, OrderType.LIMIT, "10", "105.00", Exposure.NONE));
        rejects(RejectReason.MAX_GROSS_EXPOSURE, check(Side.SELL, OrderType.LIMIT, "6.001", "105.00", Exposure.NONE));
    }

    @Test
    void orderRateIsATokenBucketPerModel() {
        LimitSet perModel = new LimitSet(null, null, null, null, null, null, null, null, new BigDecimal("2"), 3, null, null, null, null);
        LimitSet venue = new LimitSet(null, null, null, null, null, null, null, null, new BigDecimal("2"), 5, null, null, null, null);
        limits(perModel, Map.of("PAPER", venue), Map.of(), Map.of());
        for (int i = 0; i < 3; i++) {
            assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE), "burst " + i);
        }
        rejects(RejectReason.ORDER_RATE, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        assertEquals(RiskDecision.ACCEPTED, check("other", Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE),
                "another model has its own bucket");
        assertEquals(RiskDecision.ACCEPTED, check("third", Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        RiskDecision.Rejected venueFull = assertInstanceOf(RiskDecision.Rejected.class,
                check("fourth", Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        assertEquals(RejectReason.ORDER_RATE, venueFull.reason());
        assertEquals(true, venueFull.detail().contains("venue"), "but all share the venue's bucket of 5");
        clock.advance(Duration.ofMillis(500));
        assertEquals(RiskDecision.ACCEPTED, check("other", Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE), "one token back after 0.5 s");
        rejects(RejectReason.ORDER_RATE, check("other", Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
    }

    @Test
    void dailyLossStopsNewOrdersButNotReducingOnes() {
        global(new LimitSet(null, null, null, null, null, null, null, null, null, null, new BigDecimal("500"), null, null, null));
        monitor.observe(ExposureLedger.modelScope("m"), new BigDecimal("1000"), null, new BigDecimal("500"), null, clock.instant());
        monitor.observe(ExposureLedger.modelScope("m"), new BigDecimal("500.01"), null, new BigDecimal("500"), null, clock.instant());
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        monitor.observe(ExposureLedger.modelScope("m"), new BigDecimal("500"), null, new BigDecimal("500"), null, clock.instant());
        rejects(RejectReason.DAILY_LOSS, check(Side.BUY, OrderType.LIMIT, "1", "90.00", Exposure.NONE));
        BigDecimal q = BigDecimal.ONE;
        assertEquals(RiskDecision.ACCEPTED, rails.check(new RiskRequest(BTC, RULES, "m", Side.SELL, OrderType.LIMIT, q, MID, MID, MID,
                Exposure.NONE, q, q, 1, true, false)), "a reducing order still goes");
    }

    @Test
    void theMostSpecificScopeWinsAndListsAllowOrDeny() {
        LimitSet notional = new LimitSet(null, new BigDecimal("1000"), null, null, null, null, null, null, null, null, null, null, null, null);
        LimitSet venue = new LimitSet(null, new BigDecimal("2000"), null, null, null, null, null, null, null, null, null, null, null, null);
        LimitSet model = new LimitSet(null, new BigDecimal("3000"), null, null, null, null, null, null, null, null, null, null, null, null);
        LimitSet symbol = new LimitSet(null, new BigDecimal("4000"), null, null, null, null, null, null, null, null, null, null, null, null);
        limits(notional, Map.of("PAPER", venue), Map.of("m", model), Map.of());
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "30", "100.00", Exposure.NONE), "model beats venue");
        rejects(RejectReason.MAX_ORDER_NOTIONAL, check("other", Side.BUY, OrderType.LIMIT, "20.001", "100.00", Exposure.NONE));
        assertEquals(RiskDecision.ACCEPTED, check("other", Side.BUY, OrderType.LIMIT, "20", "100.00", Exposure.NONE), "venue beats global");
        limits(notional, Map.of("PAPER", venue), Map.of("m", model), Map.of("BTCUSDT.PAPER", symbol));
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "40", "100.00", Exposure.NONE), "symbol beats model");
        LimitSet deny = new LimitSet(null, null, null, null, null, null, null, null, null, null, null, null, null, List.of("BTCUSDT.PAPER"));
        limits(set(), Map.of(), Map.of("m", deny), Map.of());
        rejects(RejectReason.SYMBOL_NOT_ALLOWED, check(Side.BUY, OrderType.LIMIT, "1", "100.00", Exposure.NONE));
        assertEquals(RiskDecision.ACCEPTED, check("other", Side.BUY, OrderType.LIMIT, "1", "100.00", Exposure.NONE));
        LimitSet allowEth = new LimitSet(null, null, null, null, null, null, null, null, null, null, null, null, List.of(ETH.toString()), null);
        global(allowEth);
        rejects(RejectReason.SYMBOL_NOT_ALLOWED, check(Side.BUY, OrderType.LIMIT, "1", "100.00", Exposure.NONE));
    }

    @Test
    void venueRules() {
        global(set());
        rejects(RejectReason.LOT_SIZE, check(Side.BUY, OrderType.LIMIT, "1.0001", "100", Exposure.NONE));
        rejects(RejectReason.TICK_SIZE, check(Side.BUY, OrderType.LIMIT, "1", "100.001", Exposure.NONE));
        assertEquals(RiskDecision.ACCEPTED, check(Side.BUY, OrderType.LIMIT, "0.1", "100.00", Exposure.NONE));
        rejects(RejectReason.MIN_NOTIONAL, check(Side.BUY, OrderType.LIMIT, "0.099", "100.00", Exposure.NONE));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Configuration with every limit unset: each test gives the limits it tests. */
    private static final class DefaultsOnly implements RiskConfig {
        public BigDecimal maxOrderNotional() { return null; }
        public Optional<BigDecimal> maxOrderQuantity() { return Optional.empty(); }
        public BigDecimal maxPositionNotional() { return null; }
        public Optional<BigDecimal> maxPositionQuantity() { return Optional.empty(); }
        public Optional<BigDecimal> maxGrossExposure() { return Optional.empty(); }
        public Optional<BigDecimal> maxNetExposure() { return Optional.empty(); }
        public BigDecimal priceBandBps() { return null; }
        public int maxOpenOrders() { return 0; }
        public BigDecimal ordersPerSecond() { return null; }
        public int orderBurst() { return 1; }
        public Optional<BigDecimal> maxDailyLoss() { return Optional.empty(); }
        public Optional<BigDecimal> maxDrawdownPct() { return Optional.empty(); }
        public Optional<List<String>> allowedSymbols() { return Optional.empty(); }
        public Optional<List<String>> deniedSymbols() { return Optional.empty(); }
        public KillSwitchConfig killSwitch() { return () -> true; }
        public BreakerConfig breakers() { return null; }
        public Duration monitorInterval() { return Duration.ofSeconds(1); }
    }
}

package dev.tradeplane.engine.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.position.PositionState;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of orders and the ledger under random sequences of fills, cancels, replaces and expiries: an order never
 * fills more than its quantity and never has a negative remainder; a final order never changes again; the position
 * is the sum of signed fills; and cash plus position marked at any price moves only by realized and unrealized PnL,
 * which is to say only by fills and fees.
 */
class OmsPropertiesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    record Event(int order, String kind, long lots, long priceCents, long feeMillis) {}

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> e = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.of("fill", "fill", "fill", "cancel", "cancel-request", "restore", "replace", "expire"),
                Arbitraries.longs().between(1, 400), Arbitraries.longs().between(9_000, 11_000), Arbitraries.longs().between(0, 50))
                .as(Event::new);
        return e.list().ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Side>> sides() {
        return Arbitraries.of(Side.class).list().ofSize(5);
    }

    // A fixed seed: a clean clone runs the same 400 cases every time, so a failure reproduces; change it to explore others.
    @Property(tries = 400, seed = "7319")
    void ordersAndTheLedgerStayConsistent(@ForAll("events") List<Event> events, @ForAll("sides") List<Side> sides) {
        List<WorkingOrder> orders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OrderSpec spec = new OrderSpec(UUID.randomUUID(), "c" + i, new InstrumentId("BTCUSDT", "PAPER"), sides.get(i), OrderType.LIMIT,
                    TimeInForce.GTC, null, null, null, null, false, null, "m", null, null, T);
            WorkingOrder o = new WorkingOrder(spec, new BigDecimal("5.00"), new BigDecimal("100"), null, false);
            o.apply(Trigger.ACCEPT, "resting", T);
            orders.add(o);
        }
        PositionState position = PositionState.FLAT;
        BigDecimal cash = BigDecimal.ZERO;
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal signedFills = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        int trade = 0;
        for (Event e : events) {
            WorkingOrder o = orders.get(e.order());
            OrderStatus before = o.status();
            BigDecimal filledBefore = o.filledQuantity();
            BigDecimal quantityBefore = o.quantity();
            try {
                switch (e.kind()) {
                    case "fill" -> {
                        BigDecimal q = BigDecimal.valueOf(e.lots(), 2).min(o.remaining());
                        if (q.signum() > 0) {
                            BigDecimal price = BigDecimal.valueOf(e.priceCents(), 2);
                            BigDecimal fee = BigDecimal.valueOf(e.feeMillis(), 3);
                            o.fill(new VenueFill("t" + trade++, q, price, fee, "USDT", Liquidity.MAKER, T));
                            position = position.apply(o.side(), q, price, fee);
                            BigDecimal signed = o.side() == Side.BUY ? q : q.negate();
                            base = base.add(signed);
                            cash = cash.subtract(signed.multiply(price)).subtract(fee);
                            signedFills = signedFills.add(signed);
                            fees = fees.add(fee);
                        }
                    }
                    case "cancel" -> o.apply(Trigger.CANCEL, "cancel", T);
                    case "cancel-request" -> o.apply(Trigger.CANCEL_REQUEST, "cancel requested", T);
                    case "restore" -> o.restore("restored", T);
                    case "replace" -> {
                        BigDecimal q = o.filledQuantity().add(BigDecimal.valueOf(e.lots(), 2));
                        if (o.isWorking()) {
                            o.resize(q);
                        }
                    }
                    case "expire" -> o.apply(Trigger.EXPIRE, "expired", T);
                    default -> throw new IllegalStateException();
                }
            } catch (IllegalTransitionException | IllegalStateException refused) {
                // Refused: nothing about the order may have changed.
                assertEquals(before, o.status());
                assertEquals(0, filledBefore.compareTo(o.filledQuantity()));
                assertEquals(0, quantityBefore.compareTo(o.quantity()));
            }
            if (before.isFinal()) {
                assertEquals(before, o.status(), "a final order never changes");
                assertEquals(0, filledBefore.compareTo(o.filledQuantity()));
            }
            for (WorkingOrder each : orders) {
                assertTrue(each.filledQuantity().compareTo(each.quantity()) <= 0, "never more filled than ordered");
                assertTrue(each.remaining().signum() >= 0, "no negative remainder");
                assertTrue(each.status() != OrderStatus.FILLED || each.remaining().signum() == 0);
            }
            assertEquals(0, signedFills.compareTo(position.quantity()), "position = sum of signed fills");
            assertEquals(0, base.compareTo(position.quantity()));
            assertEquals(0, fees.compareTo(position.fees()));
            for (BigDecimal mark : List.of(new BigDecimal("90"), new BigDecimal("100"), new BigDecimal("110.5"))) {
                BigDecimal equityChange = cash.add(base.multiply(mark));
                BigDecimal pnl = position.realizedPnl().add(position.unrealizedAt(mark));
                assertTrue(equityChange.subtract(pnl).abs().compareTo(new BigDecimal("0.000001")) < 0,
                        "cash + position value moves only by PnL: " + equityChange + " vs " + pnl);
            }
        }
    }
}

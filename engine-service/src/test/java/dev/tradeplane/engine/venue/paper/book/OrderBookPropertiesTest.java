package dev.tradeplane.engine.venue.paper.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.model.Side;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the book under random sequences of adds, cancels, reductions and matches: nothing fills more than
 * it had, no order goes below zero, every level's total is the sum of its orders, the book never stays crossed by
 * market orders, and lots are conserved (added = resting + filled + canceled).
 */
class OrderBookPropertiesTest {

    sealed interface Op {}

    record Add(Side side, long price, long lots, boolean own) implements Op {}

    record Cancel(int which) implements Op {}

    record Reduce(int which, long by) implements Op {}

    record Match(Side side, long limit, long lots, boolean skipOwn) implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Side> sides = Arbitraries.of(Side.class);
        Arbitrary<Long> prices = Arbitraries.longs().between(95, 105);
        Arbitrary<Long> lots = Arbitraries.longs().between(1, 20);
        Arbitrary<Op> add = Combinators.combine(sides, prices, lots, Arbitraries.of(true, false)).as(Add::new);
        Arbitrary<Op> cancel = Arbitraries.integers().between(0, 200).map(Cancel::new);
        Arbitrary<Op> reduce = Combinators.combine(Arbitraries.integers().between(0, 200), lots).as(Reduce::new);
        Arbitrary<Op> match = Combinators.combine(sides, Arbitraries.longs().between(94, 106), Arbitraries.longs().between(1, 60),
                Arbitraries.of(true, false)).as(Match::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, add), net.jqwik.api.Tuple.of(2, cancel), net.jqwik.api.Tuple.of(1, reduce),
                net.jqwik.api.Tuple.of(3, match)).list().ofMaxSize(300);
    }

    // A fixed seed: a clean clone runs the same 300 cases every time, so a failure reproduces; change it to explore others.
    @Property(tries = 300, seed = "7319")
    void lotsAreConservedAndNoOrderOverfills(@ForAll("operations") List<Op> ops) {
        OrderBook book = new OrderBook();
        Map<Long, Long> original = new HashMap<>();
        Map<Long, Long> filled = new HashMap<>();
        Map<Long, Long> canceled = new HashMap<>();
        long nextId = 0;
        for (Op op : ops) {
            switch (op) {
                case Add a -> {
                    // Market orders never rest crossed: a market add that would cross is dropped, as a market maker would.
                    if (!a.own() && book.wouldTake(a.side(), a.price())) {
                        continue;
                    }
                    long id = ++nextId;
                    book.add(id, a.side(), a.price(), a.lots(), a.own());
                    original.put(id, a.lots());
                }
                case Cancel c -> {
                    long id = nextId == 0 ? 0 : 1 + c.which() % nextId;
                    canceled.merge(id, book.cancel(id), Long::sum);
                }
                case Reduce r -> {
                    long id = nextId == 0 ? 0 : 1 + r.which() % nextId;
                    BookOrder o = book.order(id);
                    if (o != null && o.lots() > r.by()) {
                        long before = o.lots();
                        book.reduce(id, before - r.by());
                        canceled.merge(id, r.by(), Long::sum);
                    }
                }
                case Match m -> {
                    long left = book.match(m.side(), m.limit(), m.lots(), m.skipOwn(), (maker, lots, price) -> {
                        assertTrue(lots > 0);
                        assertTrue(m.side() == Side.BUY ? price <= m.limit() : price >= m.limit(), "no fill through the limit");
                        if (m.skipOwn()) {
                            assertTrue(!maker.own(), "own orders never trade with own orders");
                        }
                        filled.merge(maker.id(), lots, Long::sum);
                    });
                    assertTrue(left >= 0 && left <= m.lots());
                }
            }
            for (Map.Entry<Long, Long> o : original.entrySet()) {
                BookOrder live = book.order(o.getKey());
                long resting = live == null ? 0 : live.lots();
                assertTrue(resting >= 0);
                long done = filled.getOrDefault(o.getKey(), 0L) + canceled.getOrDefault(o.getKey(), 0L);
                assertEquals(o.getValue().longValue(), resting + done, "lots of order " + o.getKey() + " are conserved");
            }
            for (Side side : Side.values()) {
                for (OrderBook.LevelView level : book.depth(side, 100)) {
                    long sum = 0;
                    for (Map.Entry<Long, Long> o : original.entrySet()) {
                        BookOrder live = book.order(o.getKey());
                        if (live != null && live.side() == side && live.priceTicks() == level.priceTicks()) {
                            sum += live.lots();
                        }
                    }
                    assertEquals(sum, level.lots(), "level total is the sum of its orders");
                    assertTrue(level.lots() > 0, "no empty level is shown");
                }
            }
        }
    }
}

package dev.tradeplane.engine.venue.paper;

import dev.tradeplane.engine.instrument.Steps;
import dev.tradeplane.engine.venue.CancelAck;
import dev.tradeplane.engine.venue.ReplaceAck;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.engine.venue.paper.book.BookOrder;
import dev.tradeplane.engine.venue.paper.book.OrderBook;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.MarketSnapshot;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One instrument of the paper venue: an {@link OrderBook} shared by the simulated market and the platform's own
 * orders, and the exchange's rules around it (lot, tick, post-only, IOC/FOK, fees). Own orders never trade with each
 * other. Not thread-safe: the paper venue calls it from its one thread.
 */
public final class PaperInstrument {

    /** A fill of a resting own order, made by the market. */
    public record RestingFill(String clientOrderId, VenueFill fill, boolean done) {}

    /** An own order working in the book. */
    private static final class Own {
        final String clientOrderId;
        final String venueOrderId;
        final Side side;
        final boolean postOnly;
        long bookId;
        long priceTicks;
        long totalLots;
        long filledLots;

        Own(String clientOrderId, String venueOrderId, Side side, boolean postOnly, long priceTicks, long totalLots, long filledLots) {
            this.clientOrderId = clientOrderId;
            this.venueOrderId = venueOrderId;
            this.side = side;
            this.postOnly = postOnly;
            this.priceTicks = priceTicks;
            this.totalLots = totalLots;
            this.filledLots = filledLots;
        }
    }

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private final String symbol;
    private final String idPrefix;
    private final String quoteAsset;
    private final BigDecimal tick;
    private final BigDecimal lot;
    private final BigDecimal takerFeeRate;
    private final BigDecimal makerFeeRate;
    private final OrderBook book = new OrderBook();
    private final MarketSource source;
    private final Map<String, Own> own = new HashMap<>();
    private final Map<Long, Own> ownByBookId = new HashMap<>();
    private long nextBookId;
    private long orderSequence;
    private long tradeSequence;
    private volatile dev.tradeplane.engine.venue.LastTrade lastTrade;
    private volatile java.util.function.Consumer<dev.tradeplane.engine.venue.LastTrade> tradeSink;
    private Instant now = Instant.EPOCH;
    private List<RestingFill> stepFills;

    public PaperInstrument(String symbol, String session, PaperConfig.InstrumentSpec spec, MarketSource source, BigDecimal takerFeeBps,
                           BigDecimal makerFeeBps) {
        this.symbol = symbol;
        this.idPrefix = symbol + "-" + session + "-";
        this.quoteAsset = spec.quoteAsset();
        this.tick = spec.tickSize();
        this.lot = spec.lotSize();
        this.takerFeeRate = takerFeeBps.divide(TEN_THOUSAND);
        this.makerFeeRate = makerFeeBps.divide(TEN_THOUSAND);
        this.source = source;
        source.open(book, this::nextBookId);
    }

    private long nextBookId() {
        return ++nextBookId;
    }

    public TopOfBook top(Instant at) {
        if (book.bestBid() == OrderBook.NONE || book.bestAsk() == OrderBook.NONE) {
            return null;
        }
        return new TopOfBook(price(book.bestBid()), price(book.bestAsk()), at);
    }

    /** The book's best levels as prices and quantities, own orders included. */
    public List<MarketSnapshot.Level> levels(Side side, int levels) {
        return book.depth(side, levels).stream().map(l -> new MarketSnapshot.Level(price(l.priceTicks()), Steps.times(l.lots(), lot))).toList();
    }

    /** The book's best levels in ticks and lots. */
    public List<OrderBook.LevelView> depth(Side side, int levels) {
        return book.depth(side, levels);
    }

    public int workingOwnOrders() {
        return own.size();
    }

    /** Lots queued before an own order at its price, or -1 if it is not working. */
    long lotsAhead(String clientOrderId) {
        Own o = own.get(clientOrderId);
        return o == null ? -1 : book.lotsAhead(o.bookId);
    }

    OrderBook book() {
        return book;
    }

    public VenueAck submit(VenueOrder order, Instant at) {
        this.now = at;
        if (own.containsKey(order.clientOrderId())) {
            return VenueAck.rejected(RejectReason.VENUE_ERROR, "client order id " + order.clientOrderId() + " is already working");
        }
        if (order.quantity().signum() <= 0 || !Steps.isMultiple(order.quantity(), lot)) {
            return VenueAck.rejected(RejectReason.LOT_SIZE, "quantity must be a positive multiple of " + lot.toPlainString());
        }
        boolean limit = order.type() == OrderType.LIMIT;
        if (limit && !Steps.isMultiple(order.price(), tick)) {
            return VenueAck.rejected(RejectReason.TICK_SIZE, "price must be a multiple of " + tick.toPlainString());
        }
        long lots = Steps.count(order.quantity(), lot);
        long limitTicks = limit ? Steps.count(order.price(), tick) : OrderBook.NONE;
        if (limit && order.postOnly() && book.wouldTake(order.side(), limitTicks)) {
            return VenueAck.rejected(RejectReason.POST_ONLY_WOULD_TAKE, "a post-only order at " + order.price().toPlainString()
                    + " would take liquidity");
        }
        if (!limit && book.available(order.side(), OrderBook.NONE, true) == 0) {
            return VenueAck.rejected(RejectReason.NO_LIQUIDITY, "the book has no " + (order.side() == Side.BUY ? "asks" : "bids"));
        }
        String venueOrderId = idPrefix + (++orderSequence);
        if (order.timeInForce() == TimeInForce.FOK && book.available(order.side(), limitTicks, true) < lots) {
            return new VenueAck(venueOrderId, VenueAck.Outcome.DONE, List.of(), null, null);
        }
        List<VenueFill> fills = new ArrayList<>();
        long remaining = take(order.side(), limitTicks, lots, fills);
        boolean rests = remaining > 0 && limit && (order.timeInForce() == TimeInForce.GTC || order.timeInForce() == TimeInForce.GTD);
        if (rests) {
            rest(new Own(order.clientOrderId(), venueOrderId, order.side(), order.postOnly(), limitTicks, lots, lots - remaining));
            return new VenueAck(venueOrderId, VenueAck.Outcome.RESTING, fills, null, null);
        }
        return new VenueAck(venueOrderId, VenueAck.Outcome.DONE, fills, null, null);
    }

    public CancelAck cancel(String clientOrderId, Instant at) {
        this.now = at;
        Own o = own.remove(clientOrderId);
        if (o == null) {
            return CancelAck.unknown();
        }
        ownByBookId.remove(o.bookId);
        return new CancelAck(CancelAck.Outcome.CANCELED, Steps.times(book.cancel(o.bookId), lot));
    }

    /**
     * Changes a working order to a new total quantity and price. A price change or a larger quantity re-queues it at
     * the back (and it may trade at once at a new price); a smaller quantity keeps its place.
     */
    public ReplaceAck replace(String clientOrderId, BigDecimal quantity, BigDecimal price, Instant at) {
        this.now = at;
        Own o = own.get(clientOrderId);
        if (o == null) {
            return ReplaceAck.unknown();
        }
        if (!Steps.isMultiple(quantity, lot) || quantity.signum() <= 0) {
            return ReplaceAck.rejected(RejectReason.LOT_SIZE, "quantity must be a positive multiple of " + lot.toPlainString());
        }
        if (!Steps.isMultiple(price, tick)) {
            return ReplaceAck.rejected(RejectReason.TICK_SIZE, "price must be a multiple of " + tick.toPlainString());
        }
        long newTotal = Steps.count(quantity, lot);
        long newPrice = Steps.count(price, tick);
        if (newTotal <= o.filledLots) {
            return ReplaceAck.rejected(RejectReason.INVALID_QUANTITY, "the new quantity must be above the filled "
                    + Steps.times(o.filledLots, lot).toPlainString());
        }
        long newRemaining = newTotal - o.filledLots;
        long oldRemaining = book.order(o.bookId).lots();
        if (newPrice == o.priceTicks && newRemaining <= oldRemaining) {
            if (newRemaining < oldRemaining) {
                book.reduce(o.bookId, newRemaining);
            }
            o.totalLots = newTotal;
            return new ReplaceAck(ReplaceAck.Outcome.REPLACED, List.of(), true, null, null);
        }
        if (o.postOnly && book.wouldTake(o.side, newPrice)) {
            return ReplaceAck.rejected(RejectReason.POST_ONLY_WOULD_TAKE, "a post-only order at " + price.toPlainString()
                    + " would take liquidity");
        }
        book.cancel(o.bookId);
        ownByBookId.remove(o.bookId);
        own.remove(clientOrderId);
        List<VenueFill> fills = new ArrayList<>();
        long remaining = take(o.side, newPrice, newRemaining, fills);
        long filledNow = newRemaining - remaining;
        if (remaining > 0) {
            Own moved = new Own(o.clientOrderId, o.venueOrderId, o.side, o.postOnly, newPrice, newTotal, o.filledLots + filledNow);
            rest(moved);
            return new ReplaceAck(ReplaceAck.Outcome.REPLACED, fills, true, null, null);
        }
        return new ReplaceAck(ReplaceAck.Outcome.REPLACED, fills, false, null, null);
    }

    /** Where the market stands (see {@link MarketSource#state()}). */
    public long marketState() {
        return source.state();
    }

    /** Continues the market from a saved state. */
    public void restoreMarket(long state) {
        source.restore(book, this::nextBookId, state);
    }

    /** Puts back an order that was resting before the engine restarted, at the back of its level. */
    public void resume(VenueOrder order, BigDecimal filledQuantity) {
        if (own.containsKey(order.clientOrderId())) {
            return;
        }
        long remaining = Steps.count(order.quantity(), lot) - Steps.count(filledQuantity, lot);
        if (remaining <= 0) {
            return;
        }
        rest(new Own(order.clientOrderId(), idPrefix + (++orderSequence), order.side(), order.postOnly(),
                Steps.count(order.price(), tick), Steps.count(order.quantity(), lot), Steps.count(filledQuantity, lot)));
    }

    /** One market step; the fills it made on own resting orders. */
    public List<RestingFill> step(Instant at) {
        this.now = at;
        stepFills = new ArrayList<>();
        source.step(book, this::nextBookId, this::onMarketFill);
        List<RestingFill> out = stepFills;
        stepFills = null;
        return out;
    }

    /** The last trade printed in this book (read from other threads). */
    public dev.tradeplane.engine.venue.LastTrade lastTrade() {
        return lastTrade;
    }

    private void printed(long priceTicks, long lots, Side aggressor) {
        lastTrade = new dev.tradeplane.engine.venue.LastTrade(price(priceTicks), Steps.times(lots, lot), aggressor, now);
        java.util.function.Consumer<dev.tradeplane.engine.venue.LastTrade> sink = tradeSink;
        if (sink != null) {
            sink.accept(lastTrade);
        }
    }

    /** Where each printed trade goes as well (the venue's trade listeners). */
    public void onTrade(java.util.function.Consumer<dev.tradeplane.engine.venue.LastTrade> sink) {
        this.tradeSink = sink;
    }

    private void onMarketFill(BookOrder maker, long lots, long priceTicks) {
        printed(priceTicks, lots, maker.side() == Side.BUY ? Side.SELL : Side.BUY);
        if (!maker.own()) {
            return;
        }
        Own o = ownByBookId.get(maker.id());
        o.filledLots += lots;
        boolean done = maker.lots() == 0;
        if (done) {
            own.remove(o.clientOrderId);
            ownByBookId.remove(maker.id());
        }
        stepFills.add(new RestingFill(o.clientOrderId, fill(priceTicks, lots, Liquidity.MAKER), done));
    }

    /** Takes market liquidity (never own orders) down to the limit; returns the lots left. */
    private long take(Side side, long limitTicks, long lots, List<VenueFill> fills) {
        return book.match(side, limitTicks, lots, true, (maker, taken, priceTicks) -> {
            printed(priceTicks, taken, side);
            fills.add(fill(priceTicks, taken, Liquidity.TAKER));
        });
    }

    private void rest(Own o) {
        o.bookId = nextBookId();
        book.add(o.bookId, o.side, o.priceTicks, o.totalLots - o.filledLots, true);
        own.put(o.clientOrderId, o);
        ownByBookId.put(o.bookId, o);
    }

    private VenueFill fill(long priceTicks, long lots, Liquidity liquidity) {
        BigDecimal price = price(priceTicks);
        BigDecimal quantity = Steps.times(lots, lot);
        BigDecimal rate = liquidity == Liquidity.TAKER ? takerFeeRate : makerFeeRate;
        BigDecimal fee = price.multiply(quantity).multiply(rate).setScale(8, RoundingMode.UP);
        return new VenueFill(idPrefix + "t" + (++tradeSequence), quantity, price, fee, quoteAsset, liquidity, now);
    }

    private BigDecimal price(long ticks) {
        return Steps.times(ticks, tick);
    }
}

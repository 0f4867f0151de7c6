package dev.tradeplane.engine.venue.binance;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Binance's limits as the adapter sees them: the request weight used in the current minute and the orders placed in
 * the current 10 seconds and day, read from the {@code X-MBX-USED-WEIGHT-1M}, {@code X-MBX-ORDER-COUNT-10S} and
 * {@code X-MBX-ORDER-COUNT-1D} headers of every answer, against the limits exchangeInfo announces; and a back-off
 * Binance asked for (HTTP 429, or 418 after a ban) with {@code Retry-After}. A request that would pass a limit is not
 * sent: it fails at once, saying how long to wait. A cancel only takes risk off, so it is held back by a back-off
 * Binance asked for but not by the adapter's own count of the weight. Windows are aligned to the clock, as Binance
 * counts them.
 * <p>
 * What the headers say lags behind what is sent: a request out counts against the limits from when it is sent until
 * its answer arrives ({@link #acquire}, {@link #release}), so two requests sent at once cannot both take the last
 * slot; and a slot can be held for a request to be sent later ({@link Hold}): the new order of a replace that cancels
 * first, which must not find the slot taken by another order once the cancel is done.
 */
public final class RateLimits {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration DAY = Duration.ofDays(1);

    /** Why a request may not be sent now, and how long until it may. */
    public record Refusal(String why, Duration retryAfter) {}

    /** A counter of one window: its value and the window it was read in. */
    private record Count(long value, long window) {}

    /** Weight and orders counted against the limits until {@link #release released}: a request out, or a slot held. */
    public static final class Hold {
        private final int weight;
        private final int orders;
        private boolean released;

        private Hold(int weight, int orders) {
            this.weight = weight;
            this.orders = orders;
        }
    }

    /** What {@link #acquire} gives: a hold, or the refusal. */
    public record Grant(Hold hold, Refusal refusal) {}

    private int weightLimit = 6000;
    private int orderLimit10s = 100;
    private int orderLimitDay = 200_000;
    private Count weight = new Count(0, -1);
    private Count orders10s = new Count(0, -1);
    private Count ordersDay = new Count(0, -1);
    private Instant backOffUntil = Instant.EPOCH;
    private String backOffCause = "";
    /** Weight and orders of the requests out and the slots held (see {@link Hold}). */
    private long heldWeight;
    private long heldOrders;

    /** The limits from exchangeInfo's {@code rateLimits}. */
    public synchronized void limits(int weightPerMinute, int ordersPer10s, int ordersPerDay) {
        this.weightLimit = weightPerMinute;
        this.orderLimit10s = ordersPer10s;
        this.orderLimitDay = ordersPerDay;
    }

    /**
     * Reads the used-weight and order-count headers of an answer (null when absent). Within one window a count only
     * grows, so an answer that arrives after a later one (with a smaller count) does not lower it; a header that is
     * not a number is ignored (the answer itself still counts).
     */
    public synchronized void observe(String usedWeight1m, String orderCount10s, String orderCount1d, Instant now) {
        weight = counted(weight, usedWeight1m, window(now, MINUTE));
        orders10s = counted(orders10s, orderCount10s, window(now, TEN_SECONDS));
        ordersDay = counted(ordersDay, orderCount1d, window(now, DAY));
    }

    private static Count counted(Count before, String header, long window) {
        if (header == null) {
            return before;
        }
        long used;
        try {
            used = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return before;
        }
        return new Count(before.window() == window ? Math.max(before.value(), used) : used, window);
    }

    /** Binance asked to back off (429, or 418: the IP is banned) for {@code retryAfter}. */
    public synchronized void backOff(int status, Duration retryAfter, Instant now) {
        Instant until = now.plus(retryAfter);
        if (until.isAfter(backOffUntil)) {
            backOffUntil = until;
            backOffCause = status == 418 ? "Binance banned this IP (418)" : "Binance asked to slow down (429)";
        }
    }

    /**
     * Why a request of {@code requestWeight} that places {@code newOrders} orders may not be sent now, if it may not:
     * a back-off in force, or a limit it would pass.
     */
    public Optional<String> refusal(int requestWeight, int newOrders, Instant now) {
        return check(requestWeight, newOrders, false, now).map(Refusal::why);
    }

    /**
     * Why a request may not be sent now, with how long to wait, if it may not. One that {@code reducesRisk} (a cancel, or
     * reading what a cancel left) passes the weight count but not a back-off Binance asked for.
     */
    public synchronized Optional<Refusal> check(int requestWeight, int newOrders, boolean reducesRisk, Instant now) {
        Optional<Refusal> backOff = backOff(now);
        if (backOff.isPresent()) {
            return backOff;
        }
        long weightUsed = used(weight, now, MINUTE) + heldWeight;
        if (!reducesRisk && weightUsed + requestWeight > weightLimit) {
            Duration wait = untilNext(now, MINUTE);
            return Optional.of(new Refusal("request weight " + weightUsed + " of " + weightLimit + " a minute is used; retry after "
                    + seconds(wait) + " s", wait));
        }
        if (newOrders > 0 && used(orders10s, now, TEN_SECONDS) + heldOrders + newOrders > orderLimit10s) {
            Duration wait = untilNext(now, TEN_SECONDS);
            return Optional.of(new Refusal(orderLimit10s + " orders in 10 s placed; retry after " + seconds(wait) + " s", wait));
        }
        if (newOrders > 0 && used(ordersDay, now, DAY) + heldOrders + newOrders > orderLimitDay) {
            Duration wait = untilNext(now, DAY);
            return Optional.of(new Refusal(orderLimitDay + " orders today placed; retry after " + seconds(wait) + " s", wait));
        }
        return Optional.empty();
    }

    /** Why nothing may be sent now, if Binance asked to back off (429, 418) and the wait is not over. */
    public synchronized Optional<Refusal> backOff(Instant now) {
        if (now.isBefore(backOffUntil)) {
            Duration wait = Duration.between(now, backOffUntil);
            return Optional.of(new Refusal(backOffCause + "; retry after " + seconds(wait) + " s", wait));
        }
        return Optional.empty();
    }

    /**
     * A request of {@code requestWeight} placing {@code newOrders} orders may be sent now ({@link #check}): its weight
     * and orders are held against the limits until {@link #release released} (its answer's headers count it then, or
     * it is sent later on the hold). Else the refusal.
     */
    public synchronized Grant acquire(int requestWeight, int newOrders, boolean reducesRisk, Instant now) {
        Optional<Refusal> refusal = check(requestWeight, newOrders, reducesRisk, now);
        if (refusal.isPresent()) {
            return new Grant(null, refusal.get());
        }
        heldWeight += requestWeight;
        heldOrders += newOrders;
        return new Grant(new Hold(requestWeight, newOrders), null);
    }

    /** The hold no longer counts (its request answered, or not sent after all); once, however often it is released. */
    public synchronized void release(Hold hold) {
        if (hold != null && !hold.released) {
            hold.released = true;
            heldWeight -= hold.weight;
            heldOrders -= hold.orders;
        }
    }

    public synchronized long usedWeight(Instant now) {
        return used(weight, now, MINUTE);
    }

    public synchronized int weightLimit() {
        return weightLimit;
    }

    private static long used(Count c, Instant now, Duration length) {
        return c.window() == window(now, length) ? c.value() : 0;
    }

    private static long window(Instant now, Duration length) {
        return now.toEpochMilli() / length.toMillis();
    }

    private static Duration untilNext(Instant now, Duration length) {
        long next = (window(now, length) + 1) * length.toMillis();
        return Duration.ofMillis(next - now.toEpochMilli());
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}

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
 */
public final class RateLimits {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration DAY = Duration.ofDays(1);

    /** Why a request may not be sent now, and how long until it may. */
    public record Refusal(String why, Duration retryAfter) {}

    /** A counter of one window: its value and the window it was read in. */
    private record Count(long value, long window) {}

    private int weightLimit = 6000;
    private int orderLimit10s = 100;
    private int orderLimitDay = 200_000;
    private Count weight = new Count(0, -1);
    private Count orders10s = new Count(0, -1);
    private Count ordersDay = new Count(0, -1);
    private Instant backOffUntil = Instant.EPOCH;
    private String backOffCause = "";

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
        if (now.isBefore(backOffUntil)) {
            Duration wait = Duration.between(now, backOffUntil);
            return Optional.of(new Refusal(backOffCause + "; retry after " + seconds(wait) + " s", wait));
        }
        if (!reducesRisk && used(weight, now, MINUTE) + requestWeight > weightLimit) {
            Duration wait = untilNext(now, MINUTE);
            return Optional.of(new Refusal("request weight " + used(weight, now, MINUTE) + " of " + weightLimit + " a minute is used; retry after "
                    + seconds(wait) + " s", wait));
        }
        if (newOrders > 0 && used(orders10s, now, TEN_SECONDS) + newOrders > orderLimit10s) {
            Duration wait = untilNext(now, TEN_SECONDS);
            return Optional.of(new Refusal(orderLimit10s + " orders in 10 s placed; retry after " + seconds(wait) + " s", wait));
        }
        if (newOrders > 0 && used(ordersDay, now, DAY) + newOrders > orderLimitDay) {
            Duration wait = untilNext(now, DAY);
            return Optional.of(new Refusal(orderLimitDay + " orders today placed; retry after " + seconds(wait) + " s", wait));
        }
        return Optional.empty();
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

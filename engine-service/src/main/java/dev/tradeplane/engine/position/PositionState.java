package dev.tradeplane.engine.position;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A model's position in one instrument: signed quantity, average entry price, realized PnL net of fees, fees paid.
 * Immutable: a fill gives a new state, which replaces the old one only once it is committed.
 */
public record PositionState(BigDecimal quantity, BigDecimal averagePrice, BigDecimal realizedPnl, BigDecimal fees) {

    private static final int PRICE_SCALE = 18;

    public static final PositionState FLAT = new PositionState(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /**
     * The position after a fill. Adding to the position moves the average price; reducing it realizes
     * {@code (price - average) * closed} for a long ({@code (average - price) * closed} for a short); crossing
     * through zero opens the remainder at the fill price. The fee (in the quote currency) is charged to realized PnL.
     */
    public PositionState apply(Side side, BigDecimal fillQuantity, BigDecimal price, BigDecimal fee) {
        BigDecimal signed = side == Side.BUY ? fillQuantity : fillQuantity.negate();
        BigDecimal newQuantity = quantity.add(signed);
        BigDecimal realized = realizedPnl.subtract(fee);
        BigDecimal average;
        if (quantity.signum() == 0 || quantity.signum() == signed.signum()) {
            BigDecimal size = quantity.abs().add(fillQuantity);
            average = averagePrice.multiply(quantity.abs()).add(price.multiply(fillQuantity))
                    .divide(size, PRICE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        } else {
            BigDecimal closed = quantity.abs().min(fillQuantity);
            BigDecimal perUnit = price.subtract(averagePrice).multiply(BigDecimal.valueOf(quantity.signum()));
            realized = realized.add(perUnit.multiply(closed));
            if (newQuantity.signum() == 0) {
                average = BigDecimal.ZERO;
            } else if (newQuantity.signum() == quantity.signum()) {
                average = averagePrice;
            } else {
                average = price;
            }
        }
        return new PositionState(newQuantity, average, realized, fees.add(fee));
    }

    /** PnL of the open quantity marked at {@code mark}. */
    public BigDecimal unrealizedAt(BigDecimal mark) {
        if (quantity.signum() == 0 || mark == null) {
            return BigDecimal.ZERO;
        }
        return mark.subtract(averagePrice).multiply(quantity);
    }
}

package dev.tradeplane.engine.risk;

import java.math.BigDecimal;

/** What an instrument already carries: the net position of all models, and the open quantity on each side. */
public record Exposure(BigDecimal netPosition, BigDecimal openBuyQuantity, BigDecimal openSellQuantity) {

    public static final Exposure NONE = new Exposure(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
}

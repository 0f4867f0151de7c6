package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * {@code PATCH /orders/{id}}: a new total quantity and/or limit price (and for stops, stop price) for a working
 * order. Omitted fields keep their value.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReplaceRequest(BigDecimal quantity, BigDecimal price, BigDecimal stopPrice) {}

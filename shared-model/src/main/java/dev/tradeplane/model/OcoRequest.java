package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** {@code POST /orders/oco}: two orders on one instrument; when one fills or triggers, the other is canceled. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OcoRequest(List<OrderRequest> legs) {}

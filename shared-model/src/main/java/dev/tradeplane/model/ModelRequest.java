package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code POST /models} (with {@code name}; {@code status} candidate or canary, default canary) and
 * {@code PUT /models/{name}} (the whole description; {@code version} as read, to refuse a change made meanwhile).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelRequest(
        String name,
        String status,
        BigDecimal targetWeight,
        List<String> venues,
        List<String> symbols,
        BacktestStats backtest,
        String owner,
        Long version,
        Execution execution) {}

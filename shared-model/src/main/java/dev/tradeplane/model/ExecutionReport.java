package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /orders/{id}/execution}: how an order worked by an algorithm did. {@code state}: {@code working},
 * {@code falling_back} (past its deadline or its maximum chase: canceling, then sending the rest as a market order),
 * {@code done} (filled), {@code fell_back} (the rest went out as a market order), {@code canceled},
 * {@code fallback_refused} (the rest's market order was refused, e.g. by the kill switch; nothing more is sent).
 * Quality against the mid at arrival: {@code shortfall_bps} (positive = paid more than the arrival mid for a buy, got
 * less for a sell), {@code maker_ratio} (share of the filled quantity that rested), {@code fees} in {@code fee_asset}
 * (the quote asset; fees charged in another asset are valued at the fill price or the venue's mid, and {@code fees} is
 * null when one cannot be valued), {@code time_to_fill_ms} (arrival to the last fill, once everything filled). The
 * fills of every order of the chase count: its first ({@code order_id}), those placed anew when the venue dropped the
 * one being re-priced ({@code renewal_order_ids}), and the fallback market order. Shortfall covers what filled only:
 * a rest left canceled adds no opportunity cost. {@code working_order_id} is the order the chase works now (null once
 * it has ended, or while an order placed anew is on its way).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExecutionReport(String orderId, Execution execution, String state, BigDecimal arrivalMid, int reprices, String fallbackOrderId,
                              BigDecimal quantity, BigDecimal filledQuantity, BigDecimal averagePrice, BigDecimal shortfallBps, BigDecimal makerRatio,
                              BigDecimal fees, String feeAsset, Long timeToFillMs, Instant arrivedAt, String workingOrderId,
                              List<String> renewalOrderIds) {}

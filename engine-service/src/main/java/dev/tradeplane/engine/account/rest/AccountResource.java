package dev.tradeplane.engine.account.rest;

import dev.tradeplane.engine.account.BalanceRepository;
import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.engine.position.PositionRepository;
import dev.tradeplane.model.Account;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code GET /account}: each venue account's balances, equity, PnL and fees, from committed state. */
@Path("/account")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private static final int MONEY_SCALE = 8;

    private final BalanceRepository balances;
    private final PositionRepository positions;
    private final Valuation valuation;
    private final Clock clock;

    public AccountResource(BalanceRepository balances, PositionRepository positions, Valuation valuation, Clock clock) {
        this.balances = balances;
        this.positions = positions;
        this.valuation = valuation;
        this.clock = clock;
    }

    @GET
    public Uni<List<Account>> accounts() {
        return Uni.combine().all().unis(balances.all(), positions.all()).asTuple().map(both -> {
            List<Account> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, BigDecimal>> venue : both.getItem1().entrySet()) {
                BigDecimal realized = BigDecimal.ZERO;
                BigDecimal unrealized = BigDecimal.ZERO;
                BigDecimal fees = BigDecimal.ZERO;
                for (PositionRepository.SavedPosition p : both.getItem2()) {
                    if (p.instrument().venue().equals(venue.getKey())) {
                        realized = realized.add(p.state().realizedPnl());
                        fees = fees.add(p.state().fees());
                        unrealized = unrealized.add(p.state().unrealizedAt(valuation.mark(p.instrument()).orElse(null)));
                    }
                }
                out.add(new Account(venue.getKey(), venue.getValue(), money(valuation.equityUsd(venue.getKey(), venue.getValue())),
                        money(realized), money(unrealized), money(fees), clock.instant()));
            }
            return out;
        });
    }

    private static BigDecimal money(BigDecimal value) {
        return value.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}

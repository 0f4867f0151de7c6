package dev.tradeplane.ops.routing;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.BacktestStats;
import dev.tradeplane.model.FieldError;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.ModelRequest;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks a model's description, reporting every problem at once; nothing is written for a refused one. */
@Singleton
public class ModelValidator {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,63}");
    static final Pattern VENUE = Pattern.compile("[A-Z0-9_]{1,20}");
    static final BigDecimal MAX_WEIGHT = new BigDecimal("1000000");

    /** A description that passed. */
    public record Valid(String name, ModelStatus status, BigDecimal targetWeight, List<String> venues, List<String> symbols,
                        BacktestStats backtest, String owner, dev.tradeplane.model.Execution execution) {}

    public Valid forCreate(ModelRequest r) {
        if (r == null) {
            throw Problems.invalid("body", "a JSON model is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (r.name() == null) {
            errors.add(new FieldError("name", "is required"));
        } else if (!NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "must be 1 to 64 lower-case letters, digits or . _ -, starting with a letter or digit"));
        }
        ModelStatus status = ModelStatus.CANARY;
        if (r.status() != null) {
            String s = r.status().toLowerCase(Locale.ROOT);
            if (s.equals("candidate")) {
                status = ModelStatus.CANDIDATE;
            } else if (!s.equals("canary")) {
                errors.add(new FieldError("status", "a new model starts as candidate or canary (promotion makes it active)"));
            }
        }
        return check(r.name(), status, r, errors);
    }

    public Valid forUpdate(String name, ModelRequest r) {
        if (r == null) {
            throw Problems.invalid("body", "a JSON model is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (r.name() != null && !r.name().equals(name)) {
            errors.add(new FieldError("name", "cannot be changed (it is the model's identity); create a new model instead"));
        }
        if (r.status() != null) {
            errors.add(new FieldError("status", "changes through /pause, /resume, /promote, /demote and DELETE, not PUT"));
        }
        return check(name, null, r, errors);
    }

    private Valid check(String name, ModelStatus status, ModelRequest r, List<FieldError> errors) {
        BigDecimal weight = r.targetWeight();
        if (weight == null) {
            errors.add(new FieldError("target_weight", "is required: the routing weight the model has when active"));
        } else if (weight.signum() < 0 || weight.compareTo(MAX_WEIGHT) > 0 || weight.scale() > 6) {
            errors.add(new FieldError("target_weight", "must be between 0 and 1000000, with at most 6 decimals"));
        }
        List<String> venues = r.venues() == null ? null : List.copyOf(r.venues());
        if (venues != null) {
            if (venues.isEmpty()) {
                errors.add(new FieldError("venues", "an empty list would let the model trade nowhere; omit it to allow every venue"));
            }
            for (String v : venues) {
                if (v == null || !VENUE.matcher(v).matches()) {
                    errors.add(new FieldError("venues", "each venue is an upper-case name such as PAPER, not " + v));
                }
            }
        }
        List<String> symbols = r.symbols() == null ? null : List.copyOf(r.symbols());
        if (symbols != null) {
            if (symbols.isEmpty()) {
                errors.add(new FieldError("symbols", "an empty list would let the model trade nothing; omit it to allow every symbol"));
            }
            for (String s : symbols) {
                if (s == null || InstrumentId.parse(s).isEmpty()) {
                    errors.add(new FieldError("symbols", "each symbol is an instrument such as BTCUSDT.PAPER, not " + s));
                }
            }
        }
        BacktestStats b = r.backtest();
        if (b != null) {
            if (b.maxDrawdownPct() != null && (b.maxDrawdownPct().signum() < 0 || b.maxDrawdownPct().compareTo(BigDecimal.valueOf(100)) > 0)) {
                errors.add(new FieldError("backtest.max_drawdown_pct", "must be between 0 and 100"));
            }
            if (b.winRate() != null && (b.winRate().signum() < 0 || b.winRate().compareTo(BigDecimal.ONE) > 0)) {
                errors.add(new FieldError("backtest.win_rate", "must be between 0 and 1"));
            }
            if (b.trades() != null && b.trades() < 0) {
                errors.add(new FieldError("backtest.trades", "must not be negative"));
            }
            if (b.from() != null && b.to() != null && b.from().isAfter(b.to())) {
                errors.add(new FieldError("backtest.from", "must not be after backtest.to"));
            }
        }
        if (r.owner() != null && (r.owner().isBlank() || r.owner().length() > 200)) {
            errors.add(new FieldError("owner", "must be 1 to 200 characters"));
        }
        dev.tradeplane.model.Execution execution = r.execution() == null ? null : r.execution().withDefaults();
        if (execution != null) {
            errors.addAll(execution.errors());
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return new Valid(name, status, weight.stripTrailingZeros(), venues, symbols, b, r.owner(), execution);
    }
}

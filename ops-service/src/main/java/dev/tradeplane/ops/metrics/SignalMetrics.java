package dev.tradeplane.ops.metrics;

import dev.tradeplane.model.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * OPS' signal metrics (Prometheus names): {@code signals_received_total}, {@code signals_rejected_total{reason}},
 * {@code signals_accepted_total{model}}, {@code signals_replayed_total}.
 */
@Singleton
public class SignalMetrics {

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter replayed;

    public SignalMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("signals.received").description("Signals posted to /strategy/signal with a valid token")
                .register(registry);
        this.replayed = Counter.builder("signals.replayed").description("Repeated signals answered with their first answer")
                .register(registry);
    }

    public void received() {
        received.increment();
    }

    public void replayed() {
        replayed.increment();
    }

    public void accepted(String model) {
        Counter.builder("signals.accepted").description("Signals that became an order").tag("model", model)
                .register(registry).increment();
    }

    public void rejected(RejectReason reason) {
        Counter.builder("signals.rejected").description("Signals refused, by reason").tag("reason", reason.name())
                .register(registry).increment();
    }
}

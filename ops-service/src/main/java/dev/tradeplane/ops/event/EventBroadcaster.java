package dev.tradeplane.ops.event;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans events out to every open SSE connection of this instance, as they are stored. A subscriber gets the events
 * published after its subscription, with no backpressure (it must take them all); cancelling removes it.
 */
@Singleton
public class EventBroadcaster {

    private final BroadcastProcessor<StoredEvent> processor = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();

    public EventBroadcaster(MeterRegistry registry) {
        Gauge.builder("sse.connections", subscribers, AtomicInteger::get).description("Open GET /events connections").register(registry);
    }

    public void publish(StoredEvent event) {
        processor.onNext(event);
    }

    /** A hot stream of the events stored from now on. */
    public Multi<StoredEvent> live() {
        return processor.onSubscription().invoke(subscribers::incrementAndGet).onTermination().invoke(subscribers::decrementAndGet);
    }

    /** The subscriptions to {@link #live()} not yet cancelled. */
    public int subscribers() {
        return subscribers.get();
    }
}

package dev.tradeplane.ops.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.inject.Singleton;

/** Fans events out to every open SSE connection of this instance, as they are stored. */
@Singleton
public class EventBroadcaster {

    private final BroadcastProcessor<StoredEvent> processor = BroadcastProcessor.create();

    public void publish(StoredEvent event) {
        processor.onNext(event);
    }

    /** A hot stream of the events stored from now on. */
    public Multi<StoredEvent> live() {
        return processor;
    }
}

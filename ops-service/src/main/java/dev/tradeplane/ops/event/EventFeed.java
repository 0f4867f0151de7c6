package dev.tradeplane.ops.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What one {@code GET /events} connection is sent: the stored events after the client's last one, then the live ones,
 * each once and in the order of OPS' log ({@code seq}).
 * <p>
 * A connection subscribes to live events before it reads the store, so nothing stored in between is missed, and holds
 * them (at most {@code tradeplane.events.sse-buffer}) while it replays the store page by page until a page comes back
 * short. Then it sends the held and the new live events whose seq is above the highest it sent. When more live events
 * arrive than it may hold, it sends what it holds and ends with a failure: the client resumes with its
 * {@code Last-Event-ID} instead of missing events.
 * <p>
 * The consumer publishes events in seq order, each after its commit, but seqs have gaps (a duplicate or a rolled-back
 * insert uses one up) and an event can be stored without being published (the consumer's insert timed out and its
 * retry found the event stored). So a live event that skips seqs makes the connection read the skipped range from the
 * store first: what is there is sent before it, in order.
 */
@Singleton
public class EventFeed {

    /** One item of a connection's feed. */
    public sealed interface Item {}

    /** A stored event. */
    public record Stored(StoredEvent event) implements Item {}

    /** The event the client resumes after is not stored (pruned, or another OPS' id): what follows starts now. */
    public record Reset(String unknownId) implements Item {}

    private final EventRepository events;
    private final EventBroadcaster broadcaster;
    private final int pageSize;
    private final int bufferSize;

    @Inject
    public EventFeed(EventRepository events, EventBroadcaster broadcaster, EventBusConfig config) {
        this(events, broadcaster, config.ssePageSize(), config.sseBuffer());
    }

    EventFeed(EventRepository events, EventBroadcaster broadcaster, int pageSize, int bufferSize) {
        if (pageSize < 1 || bufferSize < 1) {
            throw new IllegalArgumentException("tradeplane.events.sse-page-size and sse-buffer must be at least 1");
        }
        this.events = events;
        this.broadcaster = broadcaster;
        this.pageSize = pageSize;
        this.bufferSize = bufferSize;
    }

    /**
     * The events stored after the event {@code lastEventId}, then live ones, that pass {@code filter}; with no
     * {@code lastEventId} the events stored from now on. An id that is not stored gives a {@link Reset} first, then
     * the events stored from now on.
     */
    public Multi<Item> follow(String lastEventId, Predicate<StoredEvent> filter) {
        Uni<Optional<Long>> position = lastEventId == null ? Uni.createFrom().item(Optional.empty()) : events.seqOf(lastEventId);
        return position.onItem().transformToMulti(seq -> connect(seq, lastEventId, filter));
    }

    private Multi<Item> connect(Optional<Long> resumeAfter, String lastEventId, Predicate<StoredEvent> filter) {
        return Multi.createFrom().deferred(() -> {
            UnicastProcessor<StoredEvent> held = UnicastProcessor.create(new LinkedBlockingQueue<>(bufferSize), null);
            // Before the store is read; a full queue fails `held`, which fails the connection once what it holds is sent.
            Cancellable live = broadcaster.live().subscribe().with(held::onNext, held::onError, held::onComplete);
            AtomicLong highest = new AtomicLong();
            Multi<StoredEvent> replay = resumeAfter.isPresent()
                    ? Multi.createFrom().deferred(() -> {
                        highest.set(resumeAfter.get());
                        return pages(resumeAfter.get(), Long.MAX_VALUE);
                    })
                    : events.lastSeq().invoke(highest::set).onItem().transformToMulti(seq -> Multi.createFrom().<StoredEvent>empty());
            // Deferred: the highest seq sent is read once the previous live event (and what it pulled in) is sent.
            Multi<StoredEvent> tail = held.onItem().transformToMultiAndConcatenate(e -> Multi.createFrom().deferred(() -> next(e, highest.get())))
                    .onFailure(BackPressureFailure.class).transform(f -> new BackPressureFailure("more than " + bufferSize
                            + " live events waited for this connection; it ends so that the client resumes with its Last-Event-ID"));
            Multi<Item> items = Multi.createBy().concatenating().streams(replay, tail)
                    .invoke(e -> highest.set(e.seq()))
                    .filter(filter)
                    .map(Stored::new);
            if (resumeAfter.isEmpty() && lastEventId != null) {
                items = Multi.createBy().concatenating().streams(Multi.createFrom().<Item>item(new Reset(lastEventId)), items);
            }
            return items.onTermination().invoke(live::cancel);
        });
    }

    /** A live event: nothing when it was sent already, else the stored events it skips over, then itself. */
    private Multi<StoredEvent> next(StoredEvent event, long highest) {
        if (event.seq() <= highest) {
            return Multi.createFrom().empty();
        }
        Multi<StoredEvent> it = Multi.createFrom().item(event);
        return event.seq() == highest + 1 ? it : Multi.createBy().concatenating().streams(pages(highest, event.seq()), it);
    }

    /** The stored events after {@code after} and before {@code before}, read a page at a time, as they are asked for. */
    private Multi<StoredEvent> pages(long after, long before) {
        return Multi.createFrom().deferred(() -> {
            AtomicLong cursor = new AtomicLong(after);
            return Multi.createBy().repeating()
                    .uni(() -> events.between(cursor.get(), before, pageSize)
                            .invoke(page -> cursor.set(page.isEmpty() ? cursor.get() : page.getLast().seq())))
                    .whilst(page -> page.size() == pageSize)
                    .onItem().<StoredEvent>disjoint();
        });
    }
}

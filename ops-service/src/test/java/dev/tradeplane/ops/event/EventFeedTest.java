package dev.tradeplane.ops.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.model.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What one SSE connection is sent, against a store whose queries the test answers when it wants: every event once, in
 * seq order, whatever is stored and published while the connection replays.
 */
class EventFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Store store = new Store();
    private final EventBroadcaster broadcaster = new EventBroadcaster(new SimpleMeterRegistry());

    @Test
    void eventsStoredWhileTheReplayRunsAreSentOnceInOrder() throws Exception {
        EventFeed feed = new EventFeed(store, broadcaster, 2, 100);
        storeAll(1, 5);
        AssertSubscriber<EventFeed.Item> client = feed.follow(store.idOf(1), e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        store.nextQuery().answer();                       // 2, 3
        Query second = store.nextQuery();                 // read 4, 5
        storeAndPublish(6);                               // after the page was read, before it arrived
        second.answer();
        Query third = store.nextQuery();                  // reads 6, a short page: the replay ends with it
        storeAndPublish(7);                               // stored after the last page was read: only live has it
        third.answer();
        storeAndPublish(8);

        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L), seqs(client.awaitItems(7, WAIT)));
        client.assertNotTerminated();
    }

    @Test
    void aResumeFromManyPagesBackGetsEveryEventAPageAtATime() {
        store.answerAtOnce();
        EventFeed feed = new EventFeed(store, broadcaster, 4, 100);
        storeAll(1, 25);
        AssertSubscriber<EventFeed.Item> client = feed.follow(store.idOf(1), e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        List<Long> expected = new ArrayList<>();
        for (long s = 2; s <= 25; s++) {
            expected.add(s);
        }
        assertEquals(expected, seqs(client.awaitItems(24, WAIT)));
        assertTrue(store.limits.stream().allMatch(l -> l == 4), "every query reads one page: " + store.limits);
        assertEquals(7, store.limits.size(), "6 full pages, then a short one");
        storeAndPublish(26);
        assertEquals(26L, seqs(client.awaitItems(25, WAIT)).getLast());
    }

    @Test
    void anIdThatIsNotStoredGivesAResetThenTheEventsFromNowOn() {
        store.answerAtOnce();
        EventFeed feed = new EventFeed(store, broadcaster, 2, 100);
        storeAll(1, 3);
        String unknown = UUID.randomUUID().toString();
        AssertSubscriber<EventFeed.Item> client = feed.follow(unknown, e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        client.awaitItems(1, WAIT);
        assertEquals(new EventFeed.Reset(unknown), client.getItems().getFirst());
        await().atMost(WAIT).until(() -> broadcaster.subscribers() == 1);
        storeAndPublish(4);
        client.awaitItems(2, WAIT);
        assertEquals(4L, ((EventFeed.Stored) client.getItems().get(1)).event().seq(), "nothing stored before, only what came after");
    }

    @Test
    void aLiveEventThatSkipsSeqsIsSentAfterTheStoredEventsItSkipped() {
        store.answerAtOnce();
        EventFeed feed = new EventFeed(store, broadcaster, 2, 100);
        storeAll(1, 3);
        AssertSubscriber<EventFeed.Item> client = feed.follow(null, e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> store.lastSeqAsked);
        assertTrue(store.limits.isEmpty(), "a client that does not resume replays nothing");

        store.put(4);                                     // stored, never published (the consumer's insert timed out)
        storeAndPublish(5);
        broadcaster.publish(store.get(5));                // the same event again: not sent twice
        storeAndPublish(7);                               // 6 was used up by a duplicate: nothing stored there
        assertEquals(List.of(4L, 5L, 7L), seqs(client.awaitItems(3, WAIT)));
    }

    @Test
    void moreLiveEventsThanTheBufferDuringAReplayEndTheConnectionWithAFailureAfterWhatItHas() throws Exception {
        EventFeed feed = new EventFeed(store, broadcaster, 2, 3);
        storeAll(1, 3);
        AssertSubscriber<EventFeed.Item> client = feed.follow(store.idOf(1), e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        Query first = store.nextQuery();
        for (long s = 4; s <= 7; s++) {
            storeAndPublish(s);                           // 4 live events, room for 3
        }
        first.answer();
        store.answerAtOnce();
        client.awaitFailure(f -> assertInstanceOf(BackPressureFailure.class, f), WAIT);
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), seqs(client.getItems()), "what was sent is in order, so a resume misses nothing");
        await().atMost(WAIT).until(() -> broadcaster.subscribers() == 0);
    }

    @Test
    void aClientThatLeavesIsUnsubscribedFromLiveEventsDuringTheReplayAndAfter() throws Exception {
        EventFeed feed = new EventFeed(store, broadcaster, 2, 100);
        storeAll(1, 3);
        AssertSubscriber<EventFeed.Item> replaying = feed.follow(store.idOf(1), e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Query first = store.nextQuery();
        assertEquals(1, broadcaster.subscribers());
        replaying.cancel();
        assertEquals(0, broadcaster.subscribers(), "left during the replay");
        first.answer();

        store.answerAtOnce();
        AssertSubscriber<EventFeed.Item> following = feed.follow(null, e -> true).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        storeAndPublish(4);
        following.awaitItems(1, WAIT);
        assertEquals(1, broadcaster.subscribers());
        following.cancel();
        assertEquals(0, broadcaster.subscribers(), "left while following live events");
    }

    @Test
    void theTypeFilterDoesNotStopTheReplayFromMovingOn() {
        store.answerAtOnce();
        EventFeed feed = new EventFeed(store, broadcaster, 2, 100);
        storeAll(1, 6);
        AssertSubscriber<EventFeed.Item> client = feed.follow(store.idOf(1), e -> e.seq() % 2 == 0)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        storeAndPublish(7);
        storeAndPublish(8);
        assertEquals(List.of(2L, 4L, 6L, 8L), seqs(client.awaitItems(4, WAIT)));
    }

    private void storeAll(long from, long to) {
        for (long s = from; s <= to; s++) {
            store.put(s);
        }
    }

    private void storeAndPublish(long seq) {
        broadcaster.publish(store.put(seq));
    }

    private static List<Long> seqs(AssertSubscriber<EventFeed.Item> client) {
        return seqs(client.getItems());
    }

    private static List<Long> seqs(List<EventFeed.Item> items) {
        return items.stream().map(i -> ((EventFeed.Stored) i).event().seq()).toList();
    }

    /** A query the store read at once and answers when the test says so. */
    private record Query(CompletableFuture<List<StoredEvent>> result, List<StoredEvent> page) {
        void answer() {
            result.complete(page);
        }
    }

    /** The events table, read when asked; each page is handed over when the test answers it, or at once. */
    private static final class Store extends EventRepository {

        final NavigableMap<Long, StoredEvent> events = new ConcurrentSkipListMap<>();
        final BlockingQueue<Query> queries = new LinkedBlockingQueue<>();
        final List<Integer> limits = new CopyOnWriteArrayList<>();
        volatile boolean atOnce;
        volatile boolean lastSeqAsked;

        Store() {
            super(null, null);
        }

        StoredEvent put(long seq) {
            String id = UUID.randomUUID().toString();
            StoredEvent e = new StoredEvent(seq, new Event(id, "test.event", Instant.EPOCH, "test", null), "{\"id\":\"" + id + "\"}");
            events.put(seq, e);
            return e;
        }

        StoredEvent get(long seq) {
            return events.get(seq);
        }

        String idOf(long seq) {
            return events.get(seq).event().id();
        }

        void answerAtOnce() {
            atOnce = true;
            Query q;
            while ((q = queries.poll()) != null) {
                q.answer();
            }
        }

        Query nextQuery() throws InterruptedException {
            Query q = queries.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (q == null) {
                throw new AssertionError("the feed did not read the store");
            }
            return q;
        }

        @Override
        public Uni<Optional<Long>> seqOf(String id) {
            return Uni.createFrom().item(events.values().stream().filter(e -> e.event().id().equals(id)).map(StoredEvent::seq).findFirst());
        }

        @Override
        public Uni<List<StoredEvent>> between(long after, long before, int limit) {
            limits.add(limit);
            List<StoredEvent> page = events.subMap(after, false, before, false).values().stream().limit(limit).toList();
            Query q = new Query(new CompletableFuture<>(), page);
            if (atOnce) {
                q.answer();
            } else {
                queries.add(q);
            }
            return Uni.createFrom().completionStage(q.result());
        }

        @Override
        public Uni<Long> lastSeq() {
            lastSeqAsked = true;
            return Uni.createFrom().item(events.isEmpty() ? 0L : events.lastKey());
        }
    }
}

package dev.tradeplane.ops.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.Event;
import dev.tradeplane.ops.alert.TelegramAlerts;
import dev.tradeplane.ops.governance.GovernanceDaemon;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads the event stream with a Redis consumer group, on a thread of its own: each event is stored once (duplicates,
 * which the outbox may publish after a crash, are dropped by id), handed to the live SSE connections, to the
 * governance daemon and to the Telegram alerts, and only then acknowledged. Unacknowledged events of this consumer
 * are read again after a restart, so none is lost. An event read again that an earlier attempt of this consumer, in
 * this run, stored without learning so (the commit outlived the wait for it) is passed on then: stored by this
 * consumer after this run began and not passed on yet, it is no duplicate to drop (an outbox duplicate another OPS
 * replica stored is dropped as ever). A failing observer is logged and does not hold the stream up.
 */
@Singleton
public class EventStreamConsumer {

    private static final Logger LOG = Logger.getLogger(EventStreamConsumer.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Ids of the events this run passed on, the latest first to stay: enough to tell a re-read from a first read. */
    private static final int REMEMBERED = 100_000;

    private final RedisDataSource redis;
    private final EventRepository events;
    private final EventBroadcaster broadcaster;
    private final EventBusConfig config;
    private final ObjectMapper mapper;
    private final GovernanceDaemon governance;
    private final TelegramAlerts alerts;
    private final Counter consumed;
    private final Counter duplicates;
    private volatile boolean running;
    private Thread thread;
    /** The log's last position when this run began: events stored before are the governance's rebuild's, not ours. */
    private long startSeq = -1;
    private final java.util.Set<String> passedOn = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    public EventStreamConsumer(RedisDataSource redis, EventRepository events, EventBroadcaster broadcaster, EventBusConfig config,
                               ObjectMapper mapper, MeterRegistry registry, GovernanceDaemon governance,
                               TelegramAlerts alerts) {
        this.governance = governance;
        this.alerts = alerts;
        this.redis = redis;
        this.events = events;
        this.broadcaster = broadcaster;
        this.config = config;
        this.mapper = mapper;
        this.consumed = Counter.builder("events.consumed").description("Events read from the bus and stored").register(registry);
        this.duplicates = Counter.builder("events.duplicates").description("Events read again and dropped by id").register(registry);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "event-stream-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(config.readBlock().toMillis() + 2_000);
        }
    }

    private void run() {
        StreamCommands<String, String, String> streams = redis.stream(String.class);
        boolean groupReady = false;
        boolean pendingFirst = true;
        while (running) {
            try {
                if (startSeq < 0) {
                    startSeq = events.lastSeq().await().atMost(WAIT);
                }
                if (!groupReady) {
                    createGroup(streams);
                    groupReady = true;
                }
                // First re-read what this consumer took but never acknowledged (id 0), then new events (>).
                String from = pendingFirst ? "0" : ">";
                List<StreamMessage<String, String, String>> batch = streams.xreadgroup(config.consumerGroup(), config.consumerName(),
                        config.stream(), from, new XReadGroupArgs().count(config.readBatchSize()).block(config.readBlock()));
                if (pendingFirst && (batch == null || batch.isEmpty())) {
                    pendingFirst = false;
                    continue;
                }
                for (StreamMessage<String, String, String> message : batch == null ? List.<StreamMessage<String, String, String>>of() : batch) {
                    handle(message);
                    streams.xack(config.stream(), config.consumerGroup(), message.id());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                groupReady = groupReady && !String.valueOf(e.getMessage()).contains("NOGROUP");
                pendingFirst = true;
                LOG.warnf("Event stream read failed, retrying in %d ms: %s", RETRY.toMillis(), e.getMessage());
                sleep(RETRY);
            }
        }
    }

    private void createGroup(StreamCommands<String, String, String> streams) {
        try {
            // From the start of the stream: a new OPS sees what engines published before it ever ran.
            streams.xgroupCreate(config.stream(), config.consumerGroup(), "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void handle(StreamMessage<String, String, String> message) {
        String json = message.payload().get("event");
        Event event;
        try {
            event = mapper.readValue(json, Event.class);
        } catch (Exception e) {
            LOG.errorf("Dropping unreadable event %s from the stream: %s", message.id(), e.getMessage());
            return;
        }
        if (event.id() == null || event.type() == null || event.time() == null || event.source() == null) {
            LOG.errorf("Dropping event %s without id, type, time or source", message.id());
            return;
        }
        Optional<StoredEvent> stored = events.insertIfNew(event, json, config.consumerName()).await().atMost(WAIT);
        if (stored.isEmpty()) {
            stored = events.storedBy(event, config.consumerName()).await().atMost(WAIT)
                    .filter(s -> s.seq() > startSeq && !passedOn.contains(event.id()));
            if (stored.isEmpty()) {
                duplicates.increment();
                return;
            }
            LOG.infof("Event %s was stored by an earlier attempt that did not learn it; passed on now", event.id());
        }
        consumed.increment();
        passedOn.add(event.id());
        StoredEvent passed = stored.get();
        observe("the SSE connections", () -> broadcaster.publish(passed), event);
        observe("the governance daemon", () -> governance.observe(event), event);
        observe("the alerts", () -> alerts.observe(event), event);
    }

    /** Hands an event on; one that fails there is logged, the others still get it and the stream goes on. */
    private static void observe(String to, Runnable handOn, Event event) {
        try {
            handOn.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Event %s (%s) could not be handed to %s", event.id(), event.type(), to);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

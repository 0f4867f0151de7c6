package dev.tradeplane.ops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.Event;
import dev.tradeplane.model.EventTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends alerts to a Telegram chat through the Bot API ({@code sendMessage}). What is sent: kill switch trips and
 * resets, every governance action other than an alert, every {@code alert.raised} for channel {@code telegram}
 * (reject storms, an unreachable engine, drawdowns: whatever the policies say), promotions and demotions of models.
 * The same alert within {@code dedup-window} is sent once and then counted; at most {@code per-minute} messages go
 * out a minute, the rest wait in a bounded queue; a 429 is honoured with its {@code retry_after}. Sending happens on
 * a thread of its own, so a slow or unreachable Telegram never holds up the event stream.
 */
@Singleton
public class TelegramAlerts {

    private static final Logger LOG = Logger.getLogger(TelegramAlerts.class);
    private static final int MAX_TEXT = 4000;

    private final TelegramConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final AlertThrottle throttle;
    private final RateGate gate;
    private final LinkedBlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Counter sent;
    private final Counter suppressed;
    private final Counter failed;
    private final Counter dropped;
    private final HttpClient http;
    private volatile boolean running;
    private Thread sender;

    public TelegramAlerts(TelegramConfig config, ObjectMapper mapper, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.throttle = new AlertThrottle(config.dedupWindow());
        this.gate = new RateGate(config.perMinute(), clock);
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.sent = Counter.builder("alerts.sent").description("Alerts delivered to Telegram").register(registry);
        this.suppressed = Counter.builder("alerts.suppressed").description("Alerts not sent because the same one was sent within the window")
                .register(registry);
        this.failed = Counter.builder("alerts.failed").description("Alerts Telegram refused, or that failed after every retry").register(registry);
        this.dropped = Counter.builder("alerts.dropped").description("Alerts dropped because the send queue was full").register(registry);
    }

    public boolean enabled() {
        return config.botToken().filter(t -> !t.isBlank()).isPresent() && config.chatId().filter(c -> !c.isBlank()).isPresent();
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            LOG.info("Telegram alerts are off: set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID to turn them on");
            return;
        }
        running = true;
        sender = new Thread(this::sendLoop, "telegram-alerts");
        sender.setDaemon(true);
        sender.start();
        LOG.infof("Telegram alerts on: chat %s via %s", config.chatId().orElseThrow(), config.apiUrl());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (sender != null) {
            sender.interrupt();
            sender.join(2_000);
        }
    }

    /** Turns a newly stored event into an alert, if it is one, and queues it unless it repeats one just sent. */
    public void observe(Event event) {
        if (!enabled()) {
            return;
        }
        alertFor(event).ifPresent(a -> {
            if (throttle.offer(a.key(), a.text(), clock.instant())) {
                enqueue(a.text());
            } else {
                suppressed.increment();
            }
        });
    }

    /** An alert: what makes two alerts "the same", and the text. */
    record Alert(String key, String text) {}

    /** The alert an event makes, if any. */
    static Optional<Alert> alertFor(Event e) {
        JsonNode p = e.payload() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : e.payload();
        return switch (e.type()) {
            case EventTypes.KILL_SWITCH_TRIPPED -> Optional.of(new Alert("kill|trip|" + e.source(),
                    "KILL SWITCH TRIPPED at " + e.source() + ": " + text(p, "reason") + "\nby " + text(p, "tripped_by")
                            + (p.path("flatten").asBoolean() ? ", closing every position" : "")));
            case EventTypes.KILL_SWITCH_RESET -> Optional.of(new Alert("kill|reset|" + e.source(),
                    "Kill switch reset at " + e.source() + " by " + text(p, "tripped_by")));
            case EventTypes.GOVERNANCE_ACTION -> "alert".equals(p.path("action").asText()) ? Optional.empty()
                    : Optional.of(new Alert("gov|" + text(p, "policy") + "|" + text(p, "action") + "|" + text(p, "subject") + "|" + text(p, "result"),
                            "Policy " + text(p, "policy") + ": " + text(p, "action") + " " + text(p, "subject") + " -> " + text(p, "result")
                                    + "\n" + text(p, "detail") + "\nbecause " + text(p.path("trigger"), "summary")));
            case EventTypes.ALERT_RAISED -> "telegram".equals(p.path("channel").asText())
                    ? Optional.of(new Alert("alert|" + text(p, "policy") + "|" + text(p, "model") + "|" + text(p, "venue"), text(p, "message")))
                    : Optional.empty();
            case EventTypes.MODEL_CHANGED -> {
                String action = p.path("action").asText();
                if (!action.equals("promote") && !action.equals("demote")) {
                    yield Optional.empty();
                }
                JsonNode m = p.path("model");
                String reason = p.path("reason").isTextual() ? ": " + p.path("reason").asText() : "";
                yield Optional.of(new Alert("model|" + text(m, "name") + "|" + action,
                        "Model " + text(m, "name") + " " + action + "d, now " + text(m, "status").toUpperCase(Locale.ROOT)
                                + "\nby " + text(p, "actor") + reason));
            }
            default -> Optional.empty();
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }

    /** Sends the summaries of dedup windows that ended with repeats in them. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        if (enabled()) {
            throttle.expire(clock.instant()).forEach(this::enqueue);
        }
    }

    private void enqueue(String text) {
        while (queue.size() >= config.queueSize()) {
            if (queue.pollFirst() != null) {
                dropped.increment();
                LOG.warn("Telegram alert queue full: the oldest waiting alert is dropped");
            }
        }
        queue.offerLast(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text);
    }

    private void sendLoop() {
        while (running) {
            String text;
            try {
                text = queue.pollFirst(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (text == null) {
                continue;
            }
            try {
                waitForRate();
                deliver(text);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void waitForRate() throws InterruptedException {
        Duration wait;
        while (!(wait = gate.take()).isZero()) {
            Thread.sleep(Math.max(1, wait.toMillis()));
        }
    }

    /** Sends one message: waits out 429s, retries network errors and 5xx with backoff, gives up on other 4xx. */
    private void deliver(String text) throws InterruptedException {
        String body;
        try {
            body = mapper.writeValueAsString(Map.of("chat_id", config.chatId().orElseThrow(), "text", text, "disable_web_page_preview", true));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.apiUrl().replaceAll("/+$", "") + "/bot" + config.botToken().orElseThrow()
                        + "/sendMessage"))
                .timeout(config.timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int failures = 0;
        long backoff = 500;
        while (running) {
            HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                answer = null;
            }
            if (answer != null && answer.statusCode() == 200) {
                sent.increment();
                return;
            }
            if (answer != null && answer.statusCode() == 429) {
                long seconds = retryAfter(answer);
                LOG.infof("Telegram asks to slow down: retrying in %d s", seconds);
                Thread.sleep(seconds * 1000);
                continue;
            }
            if (answer != null && answer.statusCode() >= 400 && answer.statusCode() < 500) {
                failed.increment();
                LOG.errorf("Telegram refused an alert (%d %s); it is dropped. Check TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID.",
                        answer.statusCode(), description(answer));
                return;
            }
            if (++failures > config.retries()) {
                failed.increment();
                LOG.errorf("An alert could not be sent to Telegram after %d attempts (%s); it is dropped", failures,
                        answer == null ? "no answer" : "HTTP " + answer.statusCode());
                return;
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    /** Seconds to wait: the body's {@code parameters.retry_after}, else the Retry-After header, else 1. */
    private long retryAfter(HttpResponse<String> answer) {
        try {
            JsonNode r = mapper.readTree(answer.body()).path("parameters").path("retry_after");
            if (r.canConvertToLong() && r.asLong() > 0) {
                return Math.min(r.asLong(), 3600);
            }
        } catch (Exception e) {
            // fall through to the header
        }
        return answer.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Math.min(3600, Math.max(1, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(1L);
    }

    private String description(HttpResponse<String> answer) {
        try {
            return mapper.readTree(answer.body()).path("description").asText("");
        } catch (Exception e) {
            return "";
        }
    }
}

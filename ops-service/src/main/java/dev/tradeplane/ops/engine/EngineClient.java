package dev.tradeplane.ops.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.BracketRequest;
import dev.tradeplane.model.EngineCircuitChange;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.KillSwitchRequest;
import dev.tradeplane.model.OrderRequest;
import dev.tradeplane.model.ProblemTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Calls the engines over HTTP. Every call has a timeout; a call that failed in a way that cannot have created
 * anything, or that carries an idempotency key (so a repeat cannot double), is retried with exponential backoff and
 * jitter. Answers with a status below 500 (other than 409 in-flight) are returned as they are.
 */
@Singleton
public class EngineClient {

    private static final String TOKEN_HEADER = "X-OPS-TOKEN";

    private final WebClient client;
    private final Map<String, EnginesConfig.Engine> engines;
    private final Map<String, EngineCircuit> circuits = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final EngineClientConfig config;
    private final ObjectMapper mapper;
    private final java.time.Clock clock;
    private final jakarta.enterprise.event.Event<EngineCircuitChange> circuitChanges;

    public EngineClient(Vertx vertx, EnginesConfig engines, EngineClientConfig config, ObjectMapper mapper, java.time.Clock clock,
                        io.micrometer.core.instrument.MeterRegistry registry, jakarta.enterprise.event.Event<EngineCircuitChange> circuitChanges) {
        this.clock = clock;
        this.circuitChanges = circuitChanges;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
                .setKeepAlive(true)
                .setMaxPoolSize(32));
        TreeMap<String, EnginesConfig.Engine> byVenue = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byVenue.putAll(engines.venues());
        this.engines = byVenue;
        for (String venue : byVenue.keySet()) {
            EngineCircuit circuit = new EngineCircuit(config.breakerFailures(), config.breakerCooldown(), clock);
            circuits.put(venue, circuit);
            io.micrometer.core.instrument.Gauge.builder("engine.circuit.state", circuit, c -> c.state().ordinal())
                    .description("OPS' circuit to an engine: 0 closed, 1 half-open, 2 open")
                    .tag("venue", venue.toUpperCase(Locale.ROOT)).register(registry);
        }
        this.config = config;
        this.mapper = mapper;
    }

    /** True when some engine owns this venue. */
    public boolean knows(String venue) {
        return engines.containsKey(venue);
    }

    public List<String> venues() {
        return engines.keySet().stream().map(v -> v.toUpperCase(Locale.ROOT)).toList();
    }

    /** Places an order; the idempotency key makes every retry safe. */
    public Uni<EngineAnswer> placeOrder(String venue, String idempotencyKey, OrderRequest order) {
        return call(venue, HttpMethod.POST, "/orders", Map.of("Idempotency-Key", idempotencyKey), json(order));
    }

    /** Places an entry with its stop-loss and/or take-profit as one bracket; the idempotency key covers all of it. */
    public Uni<EngineAnswer> placeBracket(String venue, String idempotencyKey, BracketRequest bracket) {
        return call(venue, HttpMethod.POST, "/orders/bracket", Map.of("Idempotency-Key", idempotencyKey), json(bracket));
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the request", e);
        }
    }

    /**
     * Trips the kill switch of the engine of {@code venue} (admin token when configured): it stops taking orders,
     * cancels the open ones and, with {@code flatten}, closes every position. Tripping a tripped switch is harmless.
     */
    public Uni<EngineAnswer> tripKillSwitch(String venue, String reason, boolean flatten) {
        Map<String, String> headers = config.adminToken().filter(t -> !t.isBlank()).map(t -> Map.of(TOKEN_HEADER, t)).orElse(Map.of());
        return call(venue, HttpMethod.POST, "/risk/kill-switch", headers, json(new KillSwitchRequest(reason, flatten)));
    }

    /** The engine's orders in one status (newest first, at most 500). */
    public Uni<List<dev.tradeplane.model.Order>> orders(String venue, dev.tradeplane.model.OrderStatus status) {
        return read(venue, "/orders?status=" + status.name() + "&limit=500", new TypeReference<List<dev.tradeplane.model.Order>>() { });
    }

    /** The engine's accounts (one per venue it runs), with equity. */
    public Uni<List<dev.tradeplane.model.Account>> accounts(String venue) {
        return read(venue, "/account", new TypeReference<List<dev.tradeplane.model.Account>>() { });
    }

    /** The market of one instrument as the engine sees it (touch, mid, levels). */
    public Uni<dev.tradeplane.model.MarketSnapshot> market(String venue, String instrument) {
        return read(venue, "/market/" + instrument + "?levels=1", new TypeReference<dev.tradeplane.model.MarketSnapshot>() { });
    }

    private <T> Uni<T> read(String venue, String path, TypeReference<T> type) {
        return call(venue, HttpMethod.GET, path, Map.of(), null).map(answer -> {
            if (!answer.isSuccess()) {
                throw new EngineUnavailableException(venue, "engine for " + venue + " answered " + answer.status() + " to " + path, null);
            }
            try {
                return mapper.readValue(answer.body(), type);
            } catch (JsonProcessingException e) {
                throw new EngineUnavailableException(venue, "engine for " + venue + " sent an unreadable answer to " + path, e);
            }
        });
    }

    /** The instruments an engine trades, with their rules. */
    public Uni<List<Instrument>> instruments(String venue) {
        return call(venue, HttpMethod.GET, "/instruments", Map.of(), null).map(answer -> {
            if (!answer.isSuccess()) {
                throw new EngineUnavailableException(venue, "engine for " + venue + " answered " + answer.status() + " to /instruments", null);
            }
            try {
                return mapper.readValue(answer.body(), new TypeReference<List<Instrument>>() { });
            } catch (JsonProcessingException e) {
                throw new EngineUnavailableException(venue, "engine for " + venue + " sent an unreadable instrument list", e);
            }
        });
    }

    private Uni<EngineAnswer> call(String venue, HttpMethod method, String path, Map<String, String> headers, String body) {
        EnginesConfig.Engine engine = engines.get(venue);
        if (engine == null) {
            return Uni.createFrom().failure(new EngineUnavailableException(venue, "no engine is configured for venue " + venue, null));
        }
        URI base = URI.create(engine.url());
        Optional<String> token = engine.token().or(config::token);
        EngineCircuit circuit = circuits.get(venue);
        long wait = circuit.admit();
        if (wait > 0) {
            return Uni.createFrom().failure(new EngineUnavailableException(venue, "the circuit to the engine for " + venue
                    + " is open after repeated failures", null, (int) wait));
        }
        return Uni.createFrom().deferred(() -> {
                    HttpRequest<Buffer> request = client.request(method, port(base), base.getHost(), basePath(base) + path)
                            .ssl("https".equalsIgnoreCase(base.getScheme()))
                            .timeout(config.timeout().toMillis())
                            .putHeader("Accept", "application/json");
                    token.ifPresent(t -> request.putHeader(TOKEN_HEADER, t));
                    headers.forEach(request::putHeader);
                    Uni<HttpResponse<Buffer>> sent = body == null ? request.send()
                            : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
                    return sent.map(r -> new EngineAnswer(r.statusCode(), r.bodyAsString()));
                })
                .flatMap(answer -> answer.status() >= 500 || isInFlight(answer)
                        ? Uni.createFrom().failure(new RetryableAnswer(answer)) : Uni.createFrom().item(answer))
                .onFailure().retry().withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).withJitter(0.3)
                .atMost(config.retries())
                .onFailure(RetryableAnswer.class).recoverWithUni(e -> {
                    EngineAnswer last = ((RetryableAnswer) e).answer;
                    return last.status() == 409 ? Uni.createFrom().item(last)
                            : Uni.createFrom().failure(new EngineUnavailableException(venue,
                                    "engine for " + venue + " answered " + last.status() + " after " + (config.retries() + 1) + " attempts", e));
                })
                .onFailure(e -> !(e instanceof EngineUnavailableException)).transform(e -> new EngineUnavailableException(venue,
                        "engine for " + venue + " at " + engine.url() + " is unreachable: " + e.getMessage(), e))
                .invoke(answer -> {
                    if (circuit.succeeded()) {
                        circuitChanges.fire(new EngineCircuitChange(venue.toUpperCase(Locale.ROOT), "closed", "open", circuit.failures(), null,
                                clock.instant()));
                    }
                })
                .onFailure().invoke(e -> {
                    if (circuit.failed()) {
                        circuitChanges.fire(new EngineCircuitChange(venue.toUpperCase(Locale.ROOT), "open", "closed", circuit.failures(),
                                e.getMessage(), clock.instant()));
                    }
                });
    }

    /** The engine is still working on the first copy of this request: ask again shortly. */
    public static boolean isInFlight(EngineAnswer answer) {
        return answer.status() == 409 && answer.body() != null && answer.body().contains(ProblemTypes.REQUEST_IN_FLIGHT);
    }

    private static int port(URI base) {
        return base.getPort() > 0 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
    }

    private static String basePath(URI base) {
        String p = base.getPath();
        return p == null || p.equals("/") ? "" : p.replaceAll("/+$", "");
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** An answer worth another attempt (5xx, or 409 while the engine finishes the first copy). */
    private static final class RetryableAnswer extends RuntimeException {
        final EngineAnswer answer;

        RetryableAnswer(EngineAnswer answer) {
            super("engine answered " + answer.status(), null, false, false);
            this.answer = answer;
        }
    }
}

package dev.tradeplane.engine.order.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.execution.ChaseLimit;
import dev.tradeplane.engine.order.OrderRepository;
import dev.tradeplane.engine.order.OrderService;
import dev.tradeplane.engine.order.StoredResponse;
import dev.tradeplane.engine.web.QueryParams;
import dev.tradeplane.model.BracketRequest;
import dev.tradeplane.model.ExecutionReport;
import dev.tradeplane.model.OcoRequest;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderRequest;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ReplaceRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;

/** {@code /orders}: place orders idempotently (single, OCO, bracket), look them up, replace and cancel them. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    /** Set on an answer that repeats the first answer given for the same idempotency key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final OrderService service;
    private final OrderRepository orders;
    private final ChaseLimit chase;

    public OrderResource(OrderService service, OrderRepository orders, ChaseLimit chase) {
        this.service = service;
        this.orders = orders;
        this.chase = chase;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@RestHeader("Idempotency-Key") String idempotencyKey, OrderRequest request) {
        if (request != null && request.execution() != null) {
            return chase.submit(idempotencyKey, request).map(OrderResource::toResponse);
        }
        return service.submit(idempotencyKey, request).map(OrderResource::toResponse);
    }

    /** How an order worked by an execution algorithm did: arrival mid, re-prices, shortfall, maker ratio, fees. */
    @GET
    @Path("/{id}/execution")
    public Uni<ExecutionReport> execution(@PathParam("id") String id) {
        // By id or client_order_id, as GET /orders/{id}: 404 for an order that does not exist.
        return service.get(id).flatMap(order -> chase.report(order.id()))
                .map(r -> r.orElseThrow(() -> Problems.notFound("Order " + id + " was not worked by an execution algorithm")));
    }

    @POST
    @Path("/oco")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submitOco(@RestHeader("Idempotency-Key") String idempotencyKey, OcoRequest request) {
        return service.submitOco(idempotencyKey, request).map(OrderResource::toResponse);
    }

    @POST
    @Path("/bracket")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submitBracket(@RestHeader("Idempotency-Key") String idempotencyKey, BracketRequest request) {
        return service.submitBracket(idempotencyKey, request).map(OrderResource::toResponse);
    }

    @GET
    @Path("/{id}")
    public Uni<Order> get(@PathParam("id") String id) {
        return service.get(id);
    }

    @GET
    public Uni<List<Order>> list(@QueryParam("status") String status, @QueryParam("symbol") String symbol,
                                 @QueryParam("model") String model, @QueryParam("since") String since,
                                 @QueryParam("limit") String limit) {
        return orders.list(QueryParams.enumValue("status", status, OrderStatus.class), QueryParams.instrument("symbol", symbol),
                model, QueryParams.instant("since", since), QueryParams.limit(limit));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Order> replace(@PathParam("id") String id, ReplaceRequest request) {
        return service.replace(QueryParams.orderId(id), request);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Order> cancel(@PathParam("id") String id) {
        return service.cancel(QueryParams.orderId(id));
    }

    /** Cancels every working order, or those of a symbol and/or model. */
    @DELETE
    public Uni<List<Order>> cancelAll(@QueryParam("symbol") String symbol, @QueryParam("model") String model) {
        return service.cancelAll(QueryParams.instrument("symbol", symbol), model);
    }

    private static Response toResponse(StoredResponse answer) {
        Response.ResponseBuilder builder = Response.status(answer.status())
                .type(answer.status() >= 400 ? Problem.MEDIA_TYPE : MediaType.APPLICATION_JSON)
                .entity(answer.body());
        if (answer.status() == 201) {
            builder.location(URI.create("/orders/" + answer.orderId()));
        }
        if (answer.replayed()) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.build();
    }
}

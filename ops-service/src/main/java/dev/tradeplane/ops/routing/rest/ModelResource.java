package dev.tradeplane.ops.routing.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.common.security.Allowed;
import dev.tradeplane.common.security.Caller;
import dev.tradeplane.common.security.Role;
import dev.tradeplane.model.ModelRequest;
import dev.tradeplane.model.StrategyModel;
import dev.tradeplane.ops.routing.Model;
import dev.tradeplane.ops.routing.ModelRepository;
import dev.tradeplane.ops.routing.ModelService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * {@code /models}: the strategy registry. Reading needs the read-only role; every change the ops role, and each is
 * audited and published as {@code model.changed}.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelService service;
    private final ModelRepository models;

    public ModelResource(ModelService service, ModelRepository models) {
        this.service = service;
        this.models = models;
    }

    @GET
    public Uni<List<StrategyModel>> list() {
        return models.all().map(all -> all.stream().map(Model::toWire).toList());
    }

    @GET
    @Path("/{name}")
    public Uni<StrategyModel> get(@PathParam("name") String name) {
        return models.find(name).map(m -> m.orElseThrow(() -> Problems.notFound("No model " + name)).toWire());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPS)
    public Uni<Response> create(ModelRequest request, @Context ContainerRequestContext context) {
        return service.create(request, Caller.idOf(context))
                .map(m -> Response.created(URI.create("/models/" + m.name())).entity(m.toWire()).build());
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPS)
    public Uni<StrategyModel> update(@PathParam("name") String name, ModelRequest request, @Context ContainerRequestContext context) {
        return service.update(name, request, Caller.idOf(context)).map(Model::toWire);
    }

    @POST
    @Path("/{name}/pause")
    @Allowed(Role.OPS)
    public Uni<StrategyModel> pause(@PathParam("name") String name, @QueryParam("reason") String reason, @Context ContainerRequestContext context) {
        return service.transition(name, ModelService.Action.PAUSE, Caller.idOf(context), reason).map(Model::toWire);
    }

    @POST
    @Path("/{name}/resume")
    @Allowed(Role.OPS)
    public Uni<StrategyModel> resume(@PathParam("name") String name, @QueryParam("reason") String reason, @Context ContainerRequestContext context) {
        return service.transition(name, ModelService.Action.RESUME, Caller.idOf(context), reason).map(Model::toWire);
    }

    @POST
    @Path("/{name}/promote")
    @Allowed(Role.OPS)
    public Uni<StrategyModel> promote(@PathParam("name") String name, @QueryParam("reason") String reason, @Context ContainerRequestContext context) {
        return service.transition(name, ModelService.Action.PROMOTE, Caller.idOf(context), reason).map(Model::toWire);
    }

    @POST
    @Path("/{name}/demote")
    @Allowed(Role.OPS)
    public Uni<StrategyModel> demote(@PathParam("name") String name, @QueryParam("reason") String reason, @Context ContainerRequestContext context) {
        return service.transition(name, ModelService.Action.DEMOTE, Caller.idOf(context), reason).map(Model::toWire);
    }

    /** Retires the model: it never trades again, and stays in the registry with its history. */
    @DELETE
    @Path("/{name}")
    @Allowed(Role.OPS)
    public Uni<StrategyModel> retire(@PathParam("name") String name, @QueryParam("reason") String reason, @Context ContainerRequestContext context) {
        return service.transition(name, ModelService.Action.RETIRE, Caller.idOf(context), reason).map(Model::toWire);
    }
}

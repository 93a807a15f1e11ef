package io.vidbatch.api;

import io.vidbatch.notify.Webhook;
import io.vidbatch.notify.WebhookStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Webhook endpoints: batchAdmin registers them (a URL and the secret that signs every delivery);
 * jobs and schedules name them in {@code notify}; everyone with a batch role may list them.
 */
@Path("/webhooks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    private static final Set<String> FIELDS = Set.of("url", "secret");
    private static final int MAX_DELIVERIES = 1000;

    @Inject
    WebhookStore store;

    /**
     * An endpoint as shown: its secret never leaves the server, and its whole URL only to
     * administrators (a chat service's webhook URL is itself a credential); others see where it goes.
     */
    public record View(String name, String url, Instant saved) {
        static View of(Webhook w, boolean admin) {
            URI u = w.url();
            String shown = admin
                    ? u.toString()
                    : u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
            return new View(w.name(), shown, w.savedAt());
        }
    }

    @Context
    SecurityContext security;

    private boolean admin() {
        return security.isUserInRole(Roles.ADMIN);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public List<View> list() throws SQLException {
        return store.all().stream().map(w -> View.of(w, admin())).toList();
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR})
    public View get(@PathParam("name") String name) throws SQLException {
        return View.of(existing(name), admin());
    }

    /** {@code {"url": "https://...", "secret": "..."}}; the secret may be left out to keep the current one. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response put(@PathParam("name") String name, InputStream body) throws SQLException {
        if (!Webhook.NAME.matcher(name).matches()) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "a webhook's name is a-z, 0-9 and -, at most 64");
        }
        JsonObject o = JsonBody.parse(body);
        for (String k : o.keySet()) {
            if (!FIELDS.contains(k)) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "unknown field " + k + " (known: url, secret)");
            }
        }
        String url = o.get("url") instanceof JsonString s ? s.getString() : null;
        String urlProblem = Webhook.urlProblem(url);
        if (urlProblem != null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, urlProblem);
        }
        String secret;
        if (o.containsKey("secret")) {
            secret = o.get("secret") instanceof JsonString s ? s.getString() : null;
            String secretProblem = Webhook.secretProblem(secret);
            if (secretProblem != null) {
                throw ApiError.of(Response.Status.BAD_REQUEST, secretProblem);
            }
        } else {
            secret = store.named(name)
                    .map(Webhook::secret)
                    .orElseThrow(() -> ApiError.of(
                            Response.Status.BAD_REQUEST,
                            "secret is required for a new webhook: it signs every delivery"));
        }
        Webhook w = new Webhook(name, URI.create(url), secret, Instant.now());
        boolean created = store.put(w);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(View.of(w, true))
                .build();
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("name") String name) throws SQLException {
        if (!store.delete(name)) {
            throw ApiError.of(Response.Status.NOT_FOUND, "no webhook " + name);
        }
        return Response.noContent().build();
    }

    /** The newest deliveries to the endpoint (default 100, at most 1,000). */
    @GET
    @Path("{name}/deliveries")
    @RolesAllowed({Roles.ADMIN, Roles.MONITOR})
    public List<Webhooks.DeliveryView> deliveries(@PathParam("name") String name, @QueryParam("limit") Integer limit)
            throws SQLException {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_DELIVERIES) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "limit must be from 1 to " + MAX_DELIVERIES);
        }
        return store.toEndpoint(name, n).stream().map(Webhooks.DeliveryView::of).toList();
    }

    private Webhook existing(String name) throws SQLException {
        return store.named(name).orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no webhook " + name));
    }
}

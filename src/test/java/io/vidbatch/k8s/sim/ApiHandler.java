package io.vidbatch.k8s.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Authorizes each request (when a Role is enforced), routes it, applies scripted faults and
 * records it as an RBAC verb on a resource.
 */
final class ApiHandler implements HttpHandler {
    private final Resources resources;
    private final WatchStreamer watches;
    private final LogEndpoint logs;
    private final FaultInjector faults;
    /** Null: no authentication, every request is anonymous and allowed. */
    private final String bearerToken;

    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    /** Null: every request is allowed, as for a cluster admin. */
    private volatile Authorizer authorizer;

    ApiHandler(Resources resources, WatchStreamer watches, LogEndpoint logs, FaultInjector faults, String bearerToken) {
        this.resources = resources;
        this.watches = watches;
        this.logs = logs;
        this.faults = faults;
        this.bearerToken = bearerToken;
    }

    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    List<RecordedRequest> recorded() {
        return recorded;
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        Exchange ex = new Exchange(http);
        ApiPath path = ApiPath.parse(ex.path);
        ex.recorder = () -> record(ex, path);
        try {
            if (bearerToken != null
                    && !("Bearer " + bearerToken)
                            .equals(http.getRequestHeaders().getFirst("Authorization"))) {
                // The apiserver's answer names neither the cause nor the expected scheme.
                throw new ApiError(401, "Unauthorized");
            }
            Authorizer rbac = authorizer;
            // Authorization comes before any handler, so a refused request consumes no scripted fault.
            if (rbac != null && path != null) {
                rbac.check(verb(ex, path), path);
            }
            int injected = faults.take(ex.method, ex.path, FaultInjector.When.BEFORE);
            if (injected != 0) {
                throw FaultInjector.error(ex.method, injected);
            }
            Reply reply = route(ex, path);
            if (reply != null) {
                injected = faults.take(ex.method, ex.path, FaultInjector.When.AFTER);
                if (injected != 0) {
                    throw FaultInjector.error(ex.method, injected);
                }
                if (reply.warning() != null) {
                    http.getResponseHeaders().add("Warning", reply.warning());
                }
                ex.sendJson(reply.status(), reply.json());
            }
        } catch (ApiError e) {
            ex.sendError(e);
        } catch (WatchStreamer.Cut cut) {
            // Not closed: the HTTP server drops the connection without the terminating chunk.
            ex.recordOnce();
            throw cut;
        } catch (IOException e) {
            ex.status = 499; // the client went away mid-answer
        } catch (RuntimeException e) {
            ex.sendError(new ApiError(500, e.toString()));
        }
        http.close();
        ex.recordOnce();
    }

    /** Null when the handler has already answered (a stream). */
    private Reply route(Exchange ex, ApiPath path) throws IOException {
        if (ex.path.equals("/version")) {
            return Reply.of(200, "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0-sim\"}");
        }
        if (path == null) {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", null);
        }
        switch (ex.method) {
            case "GET":
                if ("log".equals(path.subresource())) {
                    logs.serve(ex, path);
                    return null;
                }
                if (!path.collection()) {
                    return resources.get(path);
                }
                if (ex.flag("watch")) {
                    watches.stream(ex, path.kind(), Resources.filter(ex, path));
                    return null;
                }
                return resources.list(ex, path);
            case "POST":
                if (path.collection()
                        && path.subresource() == null
                        && (path.namespace() != null || !path.kind().namespaced)) {
                    return resources.create(ex, path);
                }
                break;
            case "DELETE":
                if (path.subresource() == null && (path.namespace() != null || !path.kind().namespaced)) {
                    return path.collection() ? resources.deleteCollection(ex, path) : resources.delete(ex, path);
                }
                break;
            default:
                break;
        }
        throw new ApiError(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null);
    }

    private void record(Exchange ex, ApiPath path) {
        String resource = path == null ? ex.path : path.rbacResource();
        String group = path == null ? "" : path.kind().group;
        recorded.add(new RecordedRequest(ex.method, ex.path, ex.rawQuery, ex.status, verb(ex, path), group, resource));
    }

    private static String verb(Exchange ex, ApiPath path) {
        boolean collection = path != null && path.collection();
        switch (ex.method) {
            case "GET":
                return collection ? (ex.flag("watch") ? "watch" : "list") : "get";
            case "POST":
                return "create";
            case "PUT":
                return "update";
            case "PATCH":
                return "patch";
            case "DELETE":
                return collection ? "deletecollection" : "delete";
            default:
                return ex.method.toLowerCase();
        }
    }
}

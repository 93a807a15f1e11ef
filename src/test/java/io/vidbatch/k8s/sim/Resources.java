package io.vidbatch.k8s.sim;

import com.google.gson.JsonParseException;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** get, list, create, delete and deletecollection on the store, answered as the apiserver answers. */
final class Resources {
    private final ObjectStore store;
    private final Deletions deletions;
    private final PodAdmission podAdmission;

    Resources(ObjectStore store, Deletions deletions, PodAdmission podAdmission) {
        this.store = store;
        this.deletions = deletions;
        this.podAdmission = podAdmission;
    }

    static Predicate<KubernetesObject> filter(Exchange ex, ApiPath path) {
        LabelSelector labels = LabelSelector.parse(ex.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(ex.param("fieldSelector"));
        String ns = path.namespace();
        return o -> (ns == null || ns.equals(o.getMetadata().getNamespace()))
                && labels.test(o.getMetadata().getLabels())
                && fields.test(o);
    }

    Reply get(ApiPath path) {
        KubernetesObject o = store.peek(path.key());
        if (o == null) {
            throw ApiError.notFound(path.kind(), path.name());
        }
        return Reply.of(200, o);
    }

    Reply list(Exchange ex, ApiPath path) {
        ObjectStore.Snapshot snap = store.list(path.kind(), filter(ex, path));
        List<String> items = snap.itemsJson();
        int offset = 0;
        long version = snap.resourceVersion();
        String token = ex.param("continue");
        if (token != null) {
            String[] parts = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            version = Long.parseLong(parts[0]);
            offset = Integer.parseInt(parts[1]);
        }
        Integer limit = ex.intParam("limit");
        int end = limit == null || limit <= 0 ? items.size() : Math.min(items.size(), offset + limit);
        StringBuilder meta =
                new StringBuilder("{\"resourceVersion\":\"").append(version).append('"');
        if (end < items.size()) {
            String next = Base64.getEncoder().encodeToString((version + ":" + end).getBytes(StandardCharsets.UTF_8));
            meta.append(",\"continue\":\"")
                    .append(next)
                    .append("\",\"remainingItemCount\":")
                    .append(items.size() - end);
        }
        meta.append('}');
        String json = "{\"apiVersion\":\"" + path.kind().apiVersion() + "\",\"kind\":\""
                + path.kind().listKind()
                + "\",\"metadata\":" + meta + ",\"items\":["
                + String.join(",", items.subList(Math.min(offset, end), end)) + "]}";
        return Reply.of(200, json);
    }

    Reply create(Exchange ex, ApiPath path) throws IOException {
        KubernetesObject o;
        try {
            o = Json.readChecked(ex.body(), path.kind().type);
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
            throw new ApiError(400, "the body of the request was in an unknown format: " + e.getMessage());
        }
        if (o == null || o.getMetadata() == null) {
            throw new ApiError(400, "the body of the request has no metadata");
        }
        String ns = o.getMetadata().getNamespace();
        if (path.kind().namespaced) {
            if (ns != null && !ns.equals(path.namespace())) {
                throw new ApiError(
                        400, "the namespace of the provided object does not match the namespace sent on the request");
            }
            o.getMetadata().setNamespace(path.namespace());
        }
        if (o instanceof V1Job job) {
            Admission.admitJob(job);
        } else if (o instanceof V1Pod pod) {
            Admission.admitPod(pod);
            podAdmission.admit(pod, store);
        }
        return Reply.of(201, store.create(o));
    }

    Reply delete(Exchange ex, ApiPath path) throws IOException {
        V1DeleteOptions options = deleteOptions(ex);
        String propagation = propagation(ex, options);
        Long grace = ex.param("gracePeriodSeconds") != null
                ? Long.valueOf(ex.param("gracePeriodSeconds"))
                : options.getGracePeriodSeconds();
        Object body = deletions.delete(path.key(), propagation, grace);
        String warning = path.kind() == ResourceKind.JOB && propagation == null ? Deletions.JOB_ORPHAN_WARNING : null;
        return new Reply(200, Json.write(body), warning);
    }

    /** The apiserver answers a deletecollection with the list of what it deleted. */
    Reply deleteCollection(Exchange ex, ApiPath path) throws IOException {
        V1DeleteOptions options = deleteOptions(ex);
        String propagation = propagation(ex, options);
        List<String> deleted = new ArrayList<>();
        for (KubernetesObject o : store.list(path.kind(), filter(ex, path)).items()) {
            ObjectKey key = new ObjectKey(
                    path.kind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
            try {
                Object result = deletions.delete(key, propagation, options.getGracePeriodSeconds());
                deleted.add(Json.write(result instanceof KubernetesObject ? result : o));
            } catch (ApiError gone) {
                // deleted meanwhile
            }
        }
        String json = "{\"apiVersion\":\"" + path.kind().apiVersion() + "\",\"kind\":\""
                + path.kind().listKind()
                + "\",\"metadata\":{\"resourceVersion\":\"" + store.resourceVersion() + "\"},\"items\":["
                + String.join(",", deleted) + "]}";
        return new Reply(
                200,
                json,
                path.kind() == ResourceKind.JOB && propagation == null ? Deletions.JOB_ORPHAN_WARNING : null);
    }

    private static V1DeleteOptions deleteOptions(Exchange ex) throws IOException {
        String body = ex.body();
        if (body.isBlank()) {
            return new V1DeleteOptions();
        }
        try {
            return Objects.requireNonNullElseGet(Json.readChecked(body, V1DeleteOptions.class), V1DeleteOptions::new);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new ApiError(400, "invalid DeleteOptions: " + e.getMessage());
        }
    }

    private static String propagation(Exchange ex, V1DeleteOptions options) {
        String p = ex.param("propagationPolicy");
        if (p == null) {
            p = options.getPropagationPolicy();
        }
        Boolean orphan = ex.param("orphanDependents") != null
                ? Boolean.valueOf(ex.param("orphanDependents"))
                : options.getOrphanDependents();
        if (p == null && orphan != null) {
            p = orphan ? "Orphan" : "Background";
        }
        return p;
    }
}

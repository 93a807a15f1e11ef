package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** apimachinery's ValidateObjectMeta for what a create carries: name or generateName, labels, annotations. */
final class MetaValidation {
    /** TotalAnnotationSizeLimitB: keys and values together, in bytes. */
    static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

    private MetaValidation() {}

    /** Names are DNS-1123 subdomains (Jobs and Pods alike); a generateName is checked as a prefix. */
    static void objectMeta(V1ObjectMeta meta, String path, FieldErrors errs) {
        String name = meta.getName();
        String generate = meta.getGenerateName();
        if (generate != null && !generate.isEmpty()) {
            // A prefix may end in '-': the generated suffix completes it.
            String masked = generate.endsWith("-") ? generate.substring(0, generate.length() - 1) + "a" : generate;
            NameRules.dns1123Subdomain(masked).forEach(m -> errs.invalid(path + ".generateName", generate, m));
        }
        if (name == null || name.isEmpty()) {
            if (generate == null || generate.isEmpty()) {
                errs.required(path + ".name", "name or generateName is required");
            }
        } else {
            NameRules.dns1123Subdomain(name).forEach(m -> errs.invalid(path + ".name", name, m));
        }
        labels(meta.getLabels(), path + ".labels", errs);
        annotations(meta.getAnnotations(), path + ".annotations", errs);
    }

    static void labels(Map<String, String> labels, String path, FieldErrors errs) {
        if (labels == null) {
            return;
        }
        new TreeMap<>(labels).forEach((k, v) -> {
            NameRules.qualifiedName(k).forEach(m -> errs.invalid(path, k, m));
            NameRules.labelValue(v).forEach(m -> errs.invalid(path, v, m));
        });
    }

    static void annotations(Map<String, String> annotations, String path, FieldErrors errs) {
        if (annotations == null) {
            return;
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
            // Keys are qualified names, but their case does not matter.
            NameRules.qualifiedName(e.getKey().toLowerCase()).forEach(m -> errs.invalid(path, e.getKey(), m));
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length);
        }
        if (bytes > ANNOTATIONS_MAX_BYTES) {
            errs.tooLong(path, ANNOTATIONS_MAX_BYTES);
        }
    }
}

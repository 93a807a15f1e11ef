package io.vidbatch.k8s.sim;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Role and the ServiceAccount it is bound to, read from a manifest of one or more YAML
 * documents: only what authorizing a request needs (the Role's namespace and rules, the
 * RoleBinding's ServiceAccount subject). Without a RoleBinding the account is "default".
 */
record RoleFile(String namespace, List<RbacRule> rules, String serviceAccount) {

    /** The same Role and binding applied in another namespace, as kustomize's {@code namespace:} or {@code kubectl apply -n} would. */
    RoleFile in(String otherNamespace) {
        return new RoleFile(otherNamespace, rules, serviceAccount);
    }

    static RoleFile read(Path yaml) throws IOException {
        String namespace = null;
        String account = null;
        List<RbacRule> rules = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(yaml)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
                if (!(doc instanceof Map<?, ?> m)) {
                    continue;
                }
                if ("Role".equals(m.get("kind"))) {
                    namespace = string(map(m.get("metadata")).get("namespace"), "default");
                    for (Object r : list(m.get("rules"))) {
                        Map<?, ?> rule = map(r);
                        rules.add(new RbacRule(
                                strings(rule.get("apiGroups")),
                                strings(rule.get("resources")),
                                strings(rule.get("verbs")),
                                strings(rule.get("resourceNames"))));
                    }
                } else if ("RoleBinding".equals(m.get("kind"))) {
                    for (Object s : list(m.get("subjects"))) {
                        if ("ServiceAccount".equals(map(s).get("kind"))) {
                            account = string(map(s).get("name"), null);
                        }
                    }
                }
            }
        }
        if (namespace == null) {
            throw new IllegalArgumentException(yaml + " holds no Role");
        }
        return new RoleFile(namespace, List.copyOf(rules), account == null ? "default" : account);
    }

    /** As the apiserver names a ServiceAccount's user. */
    String user() {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static Set<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
    }

    private static String string(Object o, String otherwise) {
        return o == null ? otherwise : String.valueOf(o);
    }
}

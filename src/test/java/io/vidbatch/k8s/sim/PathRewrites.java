package io.vidbatch.k8s.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Container paths mapped to local ones, applied to every command element, env value and workingDir. */
final class PathRewrites {
    private final List<Map.Entry<String, String>> rules = new ArrayList<>();

    synchronized void add(String containerPath, String localPath) {
        rules.add(Map.entry(containerPath, localPath));
    }

    synchronized String apply(String s) {
        if (s == null) {
            return null;
        }
        String out = s;
        for (Map.Entry<String, String> r : rules) {
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }
}

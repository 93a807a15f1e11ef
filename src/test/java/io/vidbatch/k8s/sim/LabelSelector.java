package io.vidbatch.k8s.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The labelSelector query parameter: equality (a=b, a==b, a!=b), existence (a, !a) and sets
 * (a in (x,y), a notin (x)). Anything else is rejected with 400 as the API server does.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {
    private final List<Predicate<Map<String, String>>> terms;

    private LabelSelector(List<Predicate<Map<String, String>>> terms) {
        this.terms = terms;
    }

    public static LabelSelector everything() {
        return new LabelSelector(List.of());
    }

    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return everything();
        }
        List<Predicate<Map<String, String>>> terms = new ArrayList<>();
        for (String term : splitTerms(text)) {
            terms.add(term(term.trim()));
        }
        return new LabelSelector(terms);
    }

    @Override
    public boolean test(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        return terms.stream().allMatch(t -> t.test(l));
    }

    // Commas inside "in (a,b)" belong to the set, not to the list of terms.
    private static List<String> splitTerms(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static Predicate<Map<String, String>> term(String t) {
        if (t.isEmpty()) {
            throw bad(t);
        }
        String[] set = t.split("\\s+(?=(in|notin)\\s*\\()", 2);
        if (set.length == 2) {
            String key = set[0].trim();
            String rest = set[1].trim();
            boolean in = rest.startsWith("in");
            int open = rest.indexOf('(');
            int close = rest.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw bad(t);
            }
            Set<String> values = Set.of(rest.substring(open + 1, close).trim().split("\\s*,\\s*"));
            return in ? l -> values.contains(l.get(key)) : l -> !values.contains(l.get(key));
        }
        int ne = t.indexOf("!=");
        if (ne > 0) {
            String key = t.substring(0, ne).trim();
            String value = t.substring(ne + 2).trim();
            return l -> !value.equals(l.get(key));
        }
        int eq = t.indexOf('=');
        if (eq > 0) {
            String key = t.substring(0, eq).trim();
            String value = t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
            return l -> value.equals(l.get(key));
        }
        if (t.startsWith("!")) {
            String key = t.substring(1).trim();
            return l -> !l.containsKey(key);
        }
        if (t.matches("[A-Za-z0-9._/-]+")) {
            return l -> l.containsKey(t);
        }
        throw bad(t);
    }

    private static ApiError bad(String t) {
        return new ApiError(400, "unable to parse requirement: found '" + t + "'");
    }
}

package io.vidbatch.work;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A worker's outcomes as the one line of JSON it leaves in its termination message:
 * {@code {"outcomes":[...]}}, plus {@code "truncated":n} when the last n items' outcomes did not
 * fit. Kubernetes keeps only the last 4096 bytes of the file and may put the container runtime's
 * own message in front, so a message over the limit loses its head and with it every outcome.
 * The writer therefore holds the whole message to {@link #BUDGET} bytes of UTF-8, and the reader
 * takes the last complete message in the text, whatever comes before it.
 */
public final class OutcomeMessage {

    /** Bytes of UTF-8 the whole message may take: the kubelet's 4096 less a margin nothing here depends on. */
    public static final int BUDGET = 3800;
    /** A reason is never cut below this (a JSON string, quotes included): "moov atom not found" must survive. */
    static final int MIN_REASON = 48;

    /**
     * What a worker said.
     *
     * @param outcomes  the outcomes that fit, for the first items of the group in order
     * @param truncated how many items after them have no outcome in the message
     */
    public record Reported(List<Outcome> outcomes, int truncated) {

        /** One outcome per item: the ones reported, then a failure saying why for each one that did not fit. */
        public List<Outcome> withMissing() {
            List<Outcome> all = new ArrayList<>(outcomes);
            int total = outcomes.size() + truncated;
            for (int i = 0; i < truncated; i++) {
                all.add(Outcome.failed(notReported(outcomes.size(), total)));
            }
            return all;
        }
    }

    private OutcomeMessage() {}

    /** The reason an item gets when its outcome did not fit; not the input's fault, so never bad input. */
    static String notReported(int fit, int total) {
        return "the worker's outcome for this item was lost: only " + fit + " of " + total + " outcomes fit its "
                + BUDGET + "-byte termination message (use a smaller groupSize)";
    }

    public static String write(List<Outcome> outcomes) {
        return write(outcomes, BUDGET);
    }

    /**
     * The message within {@code budget} bytes: every outcome in full with the reasons sharing
     * what is left; else without the result fields the coordinator can do without, one by one
     * ({@link WorkJson#DISPENSABLE}); else the outcomes of as many leading items as fit and the
     * count of those left out.
     */
    static String write(List<Outcome> outcomes, int budget) {
        int leanest = WorkJson.DISPENSABLE.size();
        for (int dropped = 0; dropped <= leanest; dropped++) {
            String m = fitted(outcomes, dropped, 0, budget);
            if (utf8(m) <= budget) {
                return m;
            }
        }
        for (int fit = outcomes.size() - 1; fit > 0; fit--) {
            String m = fitted(outcomes.subList(0, fit), leanest, outcomes.size() - fit, budget);
            if (utf8(m) <= budget) {
                return m;
            }
        }
        return envelope(List.of(), leanest, 0, outcomes.size());
    }

    /** The message with each reason cut to an equal share of the bytes the rest leaves. */
    private static String fitted(List<Outcome> outcomes, int dropped, int truncated, int budget) {
        long reasons = outcomes.stream().filter(o -> o.message() != null).count();
        if (reasons == 0) {
            return envelope(outcomes, dropped, 0, truncated);
        }
        int bare = utf8(envelope(outcomes, dropped, 2, truncated)); // every reason as ""
        int share = (int) Math.max(MIN_REASON, (budget - bare) / reasons + 2);
        return envelope(outcomes, dropped, share, truncated);
    }

    private static String envelope(List<Outcome> outcomes, int dropped, int reasonBytes, int truncated) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        outcomes.forEach(o ->
                a.add(WorkJson.outcome(o, o.message() == null ? null : cut(o.message(), reasonBytes), dropped)));
        JsonObjectBuilder b = Json.createObjectBuilder().add("outcomes", a);
        if (truncated > 0) {
            b.add("truncated", truncated);
        }
        return b.build().toString();
    }

    /**
     * The last complete message in {@code text}: what the kubelet reports may start with the
     * runtime's message or the cut-off end of earlier output. Messages written before the
     * envelope (a bare array) are read too, when they are all of the text.
     *
     * @throws IllegalArgumentException when the text holds no complete message
     */
    public static Reported read(String text) {
        String t = text.strip();
        Optional<JsonValue> legacy = whole(t);
        if (legacy.isPresent() && legacy.get() instanceof JsonArray outcomes) {
            return new Reported(WorkJson.outcomes(outcomes), 0);
        }
        // The message ends the text; a '{' inside a reason cannot start a suffix that parses whole.
        for (int i = t.lastIndexOf('{'); i >= 0; i = t.lastIndexOf('{', i - 1)) {
            Optional<JsonValue> v = whole(t.substring(i));
            if (v.isPresent() && v.get() instanceof JsonObject o && o.get("outcomes") instanceof JsonArray outcomes) {
                return new Reported(WorkJson.outcomes(outcomes), o.getInt("truncated", 0));
            }
        }
        throw new IllegalArgumentException("no outcomes in the message");
    }

    /** The text as one JSON object or array with nothing after it, if it is one. */
    private static Optional<JsonValue> whole(String s) {
        try (JsonParser p = Json.createParser(new StringReader(s))) {
            if (!p.hasNext()) {
                return Optional.empty();
            }
            JsonParser.Event e = p.next();
            if (e != JsonParser.Event.START_OBJECT && e != JsonParser.Event.START_ARRAY) {
                return Optional.empty();
            }
            JsonValue v = e == JsonParser.Event.START_OBJECT ? p.getObject() : p.getArray();
            return p.hasNext() ? Optional.empty() : Optional.of(v);
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            return Optional.empty();
        }
    }

    /** At most {@code bytes} bytes of UTF-8 as JSON writes the string, never splitting a character. */
    static String cut(String s, int bytes) {
        if (utf8(Json.createValue(s).toString()) <= bytes) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int used = 5; // the quotes and the ellipsis
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = utf8(Json.createValue(new String(Character.toChars(cp))).toString()) - 2;
            if (used + n > bytes) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b.append('…').toString();
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

package io.vidbatch.work;

import io.vidbatch.media.Chunk;
import io.vidbatch.media.ChunkEncoder;
import io.vidbatch.media.Expected;
import io.vidbatch.media.Ladder;
import io.vidbatch.media.Part;
import io.vidbatch.media.Quality;
import io.vidbatch.media.StreamPlan;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Work items, results and outcomes as JSON, with JSON-P alone: the worker entry point runs
 * outside Liberty with nothing but a JSON-P implementation, and the coordinator stores the
 * same text in its item table.
 */
public final class WorkJson {

    /**
     * Kubernetes keeps 4096 bytes of a termination message, where a pod's outcomes go: a group is
     * at most this many items, whose outcomes fit {@link OutcomeMessage#BUDGET} with room for reasons.
     */
    public static final int MAX_GROUP = 20;

    private WorkJson() {}

    public static String write(WorkItem i) {
        return item(i).build().toString();
    }

    public static WorkItem readItem(String json) {
        return item(parseObject(json));
    }

    public static String writeItems(List<WorkItem> group) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        group.forEach(i -> a.add(item(i)));
        return a.build().toString();
    }

    public static List<WorkItem> readItems(String json) {
        List<WorkItem> out = new ArrayList<>();
        for (JsonValue v : parseArray(json)) {
            out.add(item(v.asJsonObject()));
        }
        return out;
    }

    public static String write(WorkResult r) {
        return result(r)
                .add("output", r.output())
                .add("worker", r.worker())
                .build()
                .toString();
    }

    public static WorkResult readResult(String json) {
        return result(parseObject(json));
    }

    /** A worker's outcomes, in its group's order, as its termination message: see {@link OutcomeMessage}. */
    public static String writeOutcomes(List<Outcome> outcomes) {
        return OutcomeMessage.write(outcomes);
    }

    /** One outcome per item of the group; those the worker could not fit in its message fail, saying so. */
    public static List<Outcome> readOutcomes(String text) {
        return OutcomeMessage.read(text).withMissing();
    }

    /**
     * Result fields an outcome can go without, first to last: the encode rate (worked out again
     * from frames and encode time on reading), then when the encode finished (then unknown).
     */
    static final List<String> DISPENSABLE = List.of("encodeFps", "finishedAt");

    /**
     * One outcome, compact: results leave out the output path and worker name (see
     * {@link Outcome#placed}) and round their numbers, and the first {@code dropped} of
     * {@link #DISPENSABLE}.
     */
    static JsonObjectBuilder outcome(Outcome o, String message, int dropped) {
        JsonObjectBuilder b =
                Json.createObjectBuilder().add("status", o.status().name());
        if (o.result() != null) {
            JsonObjectBuilder result = result(o.result());
            DISPENSABLE.subList(0, dropped).forEach(result::remove);
            b.add("result", result);
        }
        if (message != null) {
            b.add("message", message);
        }
        return b;
    }

    static List<Outcome> outcomes(JsonArray array) {
        List<Outcome> out = new ArrayList<>();
        for (JsonValue v : array) {
            JsonObject o = v.asJsonObject();
            out.add(new Outcome(
                    Outcome.Status.valueOf(o.getString("status")),
                    o.containsKey("result") ? result(o.getJsonObject("result")) : null,
                    o.getString("message", null)));
        }
        return out;
    }

    private static JsonObjectBuilder item(WorkItem i) {
        Expected e = i.expected();
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("jobInstance", i.jobInstance())
                .add("item", i.item())
                .add("input", i.input())
                .add("part", i.part().name())
                .add("segment", i.segment())
                .add("source", i.source())
                .add("output", i.output())
                .add("preset", i.preset())
                .add("operations", i.operations())
                .add("log", i.log())
                .add("seconds", i.seconds())
                .add("dryRun", i.dryRun());
        if (e == null) {
            // Queued, not examined yet: nothing is known of its source.
            return b;
        }
        b.add(
                        "expected",
                        Json.createObjectBuilder()
                                .add("frames", e.frames())
                                .add("frameTolerance", e.frameTolerance())
                                .add("seconds", e.seconds())
                                .add("tolerance", e.tolerance())
                                .add("video", e.video())
                                .add("audioStreams", e.audioStreams())
                                .add("subtitleStreams", e.subtitleStreams())
                                .add("chapters", e.chapters())
                                .add(
                                        "transfer",
                                        e.transfer() == null ? JsonValue.NULL : Json.createValue(e.transfer())))
                .add("streams", streams(i.streams()));
        if (i.ladder() != null) {
            b.add("ladder", ladder(i.ladder()));
        }
        if (i.quality() != null) {
            Double min = i.quality().minQuality();
            b.add(
                    "quality",
                    Json.createObjectBuilder().add("minQuality", min == null ? JsonValue.NULL : Json.createValue(min)));
        }
        return b;
    }

    /** A ladder chunk's summary: each rendition's file, size, frames and the measuring filters' means. */
    public static String writeChunk(ChunkEncoder.Result r) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (ChunkEncoder.Rendition x : r.renditions()) {
            JsonObjectBuilder o = Json.createObjectBuilder()
                    .add("id", x.id())
                    .add("file", x.file().toString())
                    .add("bytes", x.bytes())
                    .add("frames", x.frames());
            if (x.quality() != null) {
                o.add("psnr", Math.min(Quality.IDENTICAL, x.quality().psnr()))
                        .add("ssim", x.quality().ssim());
            }
            a.add(o);
        }
        return Json.createObjectBuilder()
                .add("renditions", a)
                .add("encodeSeconds", r.encodeSeconds())
                .add("measureSeconds", r.measureSeconds())
                .build()
                .toString();
    }

    /** The measuring filters' means for one encode (its frames' figures are in the stats files). */
    public static String writeMeans(Quality.Part q) {
        return Json.createObjectBuilder()
                .add("psnr", Math.min(Quality.IDENTICAL, q.psnr()))
                .add("ssim", q.ssim())
                .build()
                .toString();
    }

    /** @return the PSNR and SSIM means {@link #writeMeans} wrote */
    public static double[] readMeans(String json) {
        JsonObject o = parseObject(json);
        return new double[] {
            o.getJsonNumber("psnr").doubleValue(), o.getJsonNumber("ssim").doubleValue()
        };
    }

    /** A chunk's renditions as its summary lists them: id, file, bytes, frames, PSNR and SSIM means (null: not measured). */
    public record ChunkRendition(String id, String file, long bytes, long frames, Double psnr, Double ssim) {}

    public static List<ChunkRendition> readChunk(String json) {
        List<ChunkRendition> out = new ArrayList<>();
        for (JsonValue v : parseObject(json).getJsonArray("renditions")) {
            JsonObject o = v.asJsonObject();
            out.add(new ChunkRendition(
                    o.getString("id"),
                    o.getString("file"),
                    o.getJsonNumber("bytes").longValue(),
                    o.getJsonNumber("frames").longValue(),
                    o.get("psnr") instanceof JsonNumber p ? p.doubleValue() : null,
                    o.get("ssim") instanceof JsonNumber s ? s.doubleValue() : null));
        }
        return out;
    }

    private static JsonObjectBuilder ladder(LadderChunk l) {
        JsonArrayBuilder rungs = Json.createArrayBuilder();
        for (Ladder.Fitted f : l.rungs()) {
            rungs.add(Json.createObjectBuilder()
                    .add("rung", f.rung().spec())
                    .add("width", f.width())
                    .add("height", f.height())
                    .add("sarNum", f.sarNum())
                    .add("sarDen", f.sarDen()));
        }
        Chunk c = l.chunk();
        return Json.createObjectBuilder()
                .add("rungs", rungs)
                .add(
                        "chunk",
                        Json.createObjectBuilder()
                                .add("index", c.index())
                                // Infinite edges (the first chunk's start, the last one's end) are left out.
                                .add("from", Double.isFinite(c.from()) ? Json.createValue(c.from()) : JsonValue.NULL)
                                .add("to", Double.isFinite(c.to()) ? Json.createValue(c.to()) : JsonValue.NULL)
                                .add("first", c.first())
                                .add("frames", c.frames())
                                .add("seconds", c.seconds())
                                .add("seek", c.seek()))
                .add("measure", l.measure())
                .add("minQuality", l.minQuality() == null ? JsonValue.NULL : Json.createValue(l.minQuality()));
    }

    private static LadderChunk ladder(JsonObject o) {
        List<Ladder.Fitted> rungs = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("rungs")) {
            JsonObject r = v.asJsonObject();
            rungs.add(new Ladder.Fitted(
                    Ladder.parse(r.getString("rung")).rungs().get(0),
                    r.getInt("width"),
                    r.getInt("height"),
                    r.getJsonNumber("sarNum").longValue(),
                    r.getJsonNumber("sarDen").longValue()));
        }
        JsonObject c = o.getJsonObject("chunk");
        Chunk chunk = new Chunk(
                c.getInt("index"),
                c.get("from") instanceof JsonNumber n ? n.doubleValue() : Double.NEGATIVE_INFINITY,
                c.get("to") instanceof JsonNumber n ? n.doubleValue() : Double.POSITIVE_INFINITY,
                number(c, "first"),
                c.getJsonNumber("frames").longValue(),
                number(c, "seconds"),
                number(c, "seek"));
        Double min = o.get("minQuality") instanceof JsonNumber n ? n.doubleValue() : null;
        return new LadderChunk(rungs, chunk, o.getBoolean("measure", true), min);
    }

    private static WorkItem item(JsonObject o) {
        JsonObject e = o.getJsonObject("expected");
        return new WorkItem(
                o.getJsonNumber("jobInstance").longValue(),
                o.getInt("item"),
                o.getInt("input"),
                Part.valueOf(o.getString("part")),
                o.getInt("segment"),
                o.getString("source"),
                o.getString("output"),
                o.getString("preset"),
                o.getString("operations", ""),
                e == null ? null : expected(e),
                // Queued, not examined yet: no expectations, no tracks.
                e == null ? null : streams(o, e),
                o.getString("log"),
                number(o, "seconds"),
                o.getBoolean("dryRun", false),
                o.get("ladder") instanceof JsonObject l ? ladder(l) : null,
                o.get("quality") instanceof JsonObject q
                        ? new QualityCheck(q.get("minQuality") instanceof JsonNumber n ? n.doubleValue() : null)
                        : null);
    }

    /** Items stored before streams were mapped one by one said only whether there was audio: its first track. */
    private static int audioStreams(JsonObject e) {
        return e.containsKey("audioStreams") ? e.getInt("audioStreams") : e.getBoolean("audio", false) ? 1 : 0;
    }

    private static Expected expected(JsonObject e) {
        return new Expected(
                e.getJsonNumber("frames").longValue(),
                e.getInt("frameTolerance"),
                number(e, "seconds"),
                number(e, "tolerance"),
                e.getBoolean("video"),
                audioStreams(e),
                e.getInt("subtitleStreams", 0),
                e.getInt("chapters", 0),
                e.get("transfer") instanceof JsonString t ? t.getString() : null);
    }

    private static StreamPlan.Map streams(JsonObject o, JsonObject e) {
        JsonObject streams = o.containsKey("streams") ? o.getJsonObject("streams") : null;
        return streams != null
                ? new StreamPlan.Map(
                        ints(streams.getJsonArray("audio")),
                        ints(streams.getJsonArray("subtitles")),
                        hdr(streams.getJsonObject("hdr")))
                : new StreamPlan.Map(audioStreams(e) > 0 ? List.of(0) : List.of(), List.of(), null);
    }

    private static JsonObjectBuilder result(WorkResult r) {
        return Json.createObjectBuilder()
                .add("bytes", r.bytes())
                .add("width", r.width())
                .add("height", r.height())
                .add("frames", r.frames())
                .add("seconds", round(r.seconds()))
                .add("audio", r.audio())
                .add("encodeSeconds", round(r.encodeSeconds()))
                .add("encodeFps", round(r.encodeFps()))
                .add("finishedAt", r.finishedAt());
    }

    /**
     * Lenient about fields a result written by an older version (or a compact outcome) may lack:
     * they read as 0 or empty, but for the encode rate, which frames and encode time give.
     */
    private static WorkResult result(JsonObject o) {
        double encodeSeconds = number(o, "encodeSeconds");
        double fps = o.containsKey("encodeFps")
                ? number(o, "encodeFps")
                : encodeSeconds > 0 ? round(number(o, "frames") / encodeSeconds) : 0;
        return new WorkResult(
                o.getString("output", ""),
                (long) number(o, "bytes"),
                (int) number(o, "width"),
                (int) number(o, "height"),
                (long) number(o, "frames"),
                number(o, "seconds"),
                o.getBoolean("audio", false),
                encodeSeconds,
                fps,
                o.getString("worker", ""),
                (long) number(o, "finishedAt"));
    }

    private static JsonObjectBuilder streams(StreamPlan.Map m) {
        JsonObjectBuilder b =
                Json.createObjectBuilder().add("audio", numbers(m.audio())).add("subtitles", numbers(m.subtitles()));
        if (m.hdr() != null) {
            StreamPlan.Hdr h = m.hdr();
            JsonObjectBuilder hdr = Json.createObjectBuilder().add("transfer", h.transfer());
            Map.of(
                            "primaries",
                            Optional.ofNullable(h.primaries()),
                            "matrix",
                            Optional.ofNullable(h.matrix()),
                            "masterDisplay",
                            Optional.ofNullable(h.masterDisplay()),
                            "contentLight",
                            Optional.ofNullable(h.contentLight()))
                    .forEach((k, v) -> v.ifPresent(text -> hdr.add(k, text)));
            b.add("hdr", hdr);
        }
        return b;
    }

    private static StreamPlan.Hdr hdr(JsonObject o) {
        return o == null
                ? null
                : new StreamPlan.Hdr(
                        o.getString("transfer"),
                        o.getString("primaries", null),
                        o.getString("matrix", null),
                        o.getString("masterDisplay", null),
                        o.getString("contentLight", null));
    }

    private static JsonArrayBuilder numbers(List<Integer> list) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        list.forEach(a::add);
        return a;
    }

    private static List<Integer> ints(JsonArray a) {
        return a == null
                ? List.of()
                : a.getValuesAs(JsonNumber.class).stream()
                        .map(JsonNumber::intValue)
                        .toList();
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    private static double number(JsonObject o, String key) {
        return o.get(key) instanceof JsonNumber n ? n.doubleValue() : 0;
    }

    private static JsonObject parseObject(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    private static JsonArray parseArray(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readArray();
        }
    }
}

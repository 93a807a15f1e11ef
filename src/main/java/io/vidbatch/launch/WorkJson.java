package io.vidbatch.launch;

import io.vidbatch.media.Expected;
import io.vidbatch.media.Part;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import java.io.StringReader;

/**
 * Work items, results and outcomes as JSON, with JSON-P alone: the worker entry point runs
 * outside Liberty with nothing but a JSON-P implementation, and the coordinator stores the
 * same text in its item table.
 */
public final class WorkJson {

    /** Kubernetes keeps 4096 bytes of a termination message; a reason is cut to fit with room to spare. */
    static final int MAX_MESSAGE = 3000;

    private WorkJson() {
    }

    public static String write(WorkItem i) {
        Expected e = i.expected();
        return Json.createObjectBuilder()
                .add("jobInstance", i.jobInstance()).add("item", i.item()).add("input", i.input())
                .add("part", i.part().name()).add("segment", i.segment()).add("source", i.source())
                .add("output", i.output()).add("preset", i.preset()).add("operations", i.operations())
                .add("expected", Json.createObjectBuilder().add("frames", e.frames()).add("frameTolerance", e.frameTolerance())
                        .add("seconds", e.seconds()).add("tolerance", e.tolerance()).add("video", e.video()).add("audio", e.audio()))
                .add("log", i.log()).add("seconds", i.seconds())
                .build().toString();
    }

    public static WorkItem readItem(String json) {
        JsonObject o = parse(json);
        JsonObject e = o.getJsonObject("expected");
        return new WorkItem(o.getJsonNumber("jobInstance").longValue(), o.getInt("item"), o.getInt("input"),
                Part.valueOf(o.getString("part")), o.getInt("segment"), o.getString("source"), o.getString("output"),
                o.getString("preset"), o.getString("operations", ""),
                new Expected(e.getJsonNumber("frames").longValue(), e.getInt("frameTolerance"), number(e, "seconds"),
                        number(e, "tolerance"), e.getBoolean("video"), e.getBoolean("audio")),
                o.getString("log"), number(o, "seconds"));
    }

    public static String write(WorkResult r) {
        return result(r).build().toString();
    }

    public static WorkResult readResult(String json) {
        return result(parse(json));
    }

    public static String write(Outcome o) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("status", o.status());
        if (o.result() != null) {
            b.add("result", result(o.result()));
        }
        if (o.message() != null) {
            b.add("message", o.message().length() <= MAX_MESSAGE ? o.message() : o.message().substring(0, MAX_MESSAGE) + "…");
        }
        return b.build().toString();
    }

    public static Outcome readOutcome(String json) {
        JsonObject o = parse(json);
        return new Outcome(o.getString("status"), o.containsKey("result") ? result(o.getJsonObject("result")) : null,
                o.getString("message", null));
    }

    private static JsonObjectBuilder result(WorkResult r) {
        return Json.createObjectBuilder().add("output", r.output()).add("bytes", r.bytes()).add("width", r.width())
                .add("height", r.height()).add("frames", r.frames()).add("seconds", r.seconds()).add("audio", r.audio())
                .add("encodeSeconds", r.encodeSeconds()).add("encodeFps", r.encodeFps()).add("worker", r.worker());
    }

    /** Lenient about fields a result written by an older version may lack: they read as 0 or empty. */
    private static WorkResult result(JsonObject o) {
        return new WorkResult(o.getString("output", ""), (long) number(o, "bytes"), (int) number(o, "width"),
                (int) number(o, "height"), (long) number(o, "frames"), number(o, "seconds"), o.getBoolean("audio", false),
                number(o, "encodeSeconds"), number(o, "encodeFps"), o.getString("worker", ""));
    }

    private static double number(JsonObject o, String key) {
        return o.get(key) instanceof jakarta.json.JsonNumber n ? n.doubleValue() : 0;
    }

    private static JsonObject parse(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }
}

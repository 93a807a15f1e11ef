package io.vidbatch.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.file.Path;

/**
 * What ffprobe says about a file, read independently of the product's own probing code so
 * the tests check outputs against sources with a second pair of eyes.
 */
public record Probe(int width, int height, long frames, double videoSeconds, boolean audio, String videoCodec) {

    public static Probe of(Path file) {
        try {
            Process p = new ProcessBuilder(
                            "ffprobe",
                            "-v",
                            "error",
                            "-count_packets",
                            "-show_streams",
                            "-show_format",
                            "-of",
                            "json",
                            file.toString())
                    .redirectErrorStream(false)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError("ffprobe cannot read " + file);
            }
            JsonObject root;
            try (var r = Json.createReader(new StringReader(out))) {
                root = r.readObject();
            }
            double formatSeconds =
                    Double.parseDouble(root.getJsonObject("format").getString("duration"));
            int w = 0, h = 0;
            long frames = 0;
            double seconds = formatSeconds;
            boolean audio = false;
            String codec = null;
            for (JsonValue v : root.getJsonArray("streams")) {
                JsonObject s = v.asJsonObject();
                if (s.getString("codec_type").equals("video") && codec == null) {
                    codec = s.getString("codec_name");
                    w = s.getInt("width");
                    h = s.getInt("height");
                    frames = Long.parseLong(s.getString("nb_read_packets"));
                    if (s.containsKey("duration")) {
                        seconds = Double.parseDouble(s.getString("duration"));
                    }
                    var side = s.getJsonArray("side_data_list");
                    if (side != null
                            && side.stream()
                                    .anyMatch(d -> Math.abs(d.asJsonObject().getInt("rotation", 0)) == 90)) {
                        int t = w;
                        w = h;
                        h = t;
                    }
                } else if (s.getString("codec_type").equals("audio")) {
                    audio = true;
                }
            }
            return new Probe(w, h, frames, seconds, audio, codec);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

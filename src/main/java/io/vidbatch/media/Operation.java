package io.vidbatch.media;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One named, validated processing step between decode and encode. Users choose operations by
 * name with checked parameters; no filter text from a user ever reaches ffmpeg.
 */
public sealed interface Operation {

    /** The operation as the user writes it, normalised (used in reports and work items). */
    String spec();

    /** The ffmpeg video filter for this step, if it touches the picture. */
    default Optional<String> videoFilter(Path textFile) {
        return Optional.empty();
    }

    default Optional<String> audioFilter() {
        return Optional.empty();
    }

    record Scale(Integer width, Integer height) implements Operation {
        public String spec() {
            return "scale(" + (width != null ? "width=" + width : "") + (width != null && height != null ? "," : "")
                    + (height != null ? "height=" + height : "") + ")";
        }

        public Optional<String> videoFilter(Path textFile) {
            // -2 keeps the aspect ratio with an even result for the side not given.
            return Optional.of("scale=" + (width != null ? width : -2) + ":" + (height != null ? height : -2));
        }
    }

    /** Constant output frame rate as a fraction, e.g. 30/1 or 30000/1001. */
    record Fps(long numerator, long denominator) implements Operation {
        public double rate() {
            return (double) numerator / denominator;
        }

        public String spec() {
            return "fps(rate=" + numerator + (denominator == 1 ? "" : "/" + denominator) + ")";
        }

        public Optional<String> videoFilter(Path textFile) {
            return Optional.of("fps=" + numerator + "/" + denominator);
        }
    }

    /** Crop to width x height; x/y default to centred. */
    record Crop(int width, int height, Integer x, Integer y) implements Operation {
        public String spec() {
            return "crop(width=" + width + ",height=" + height + (x != null ? ",x=" + x : "")
                    + (y != null ? ",y=" + y : "") + ")";
        }

        public Optional<String> videoFilter(Path textFile) {
            return Optional.of("crop=" + width + ":" + height + ":" + (x != null ? x : "(iw-ow)/2") + ":"
                    + (y != null ? y : "(ih-oh)/2"));
        }
    }

    /** yadif: one output frame per frame, or per field (doubling the frame rate). */
    record Deinterlace(boolean perField) implements Operation {
        public String spec() {
            return perField ? "deinterlace(mode=field)" : "deinterlace";
        }

        public Optional<String> videoFilter(Path textFile) {
            return Optional.of("yadif=mode=" + (perField ? "send_field" : "send_frame") + ":deint=all");
        }
    }

    record Denoise(String strength) implements Operation {
        public String spec() {
            return "denoise(strength=" + strength + ")";
        }

        public Optional<String> videoFilter(Path textFile) {
            String params = switch (strength) {
                case "light" -> "2:1.5:3:2.25";
                case "strong" -> "8:6:12:9";
                default -> "4:3:6:4.5";
            };
            return Optional.of("hqdn3d=" + params);
        }
    }

    /**
     * Text burnt into the picture. The text goes to ffmpeg through a file with expansion off,
     * so no character of it can be read as filter syntax or as a drawtext expression.
     */
    record Watermark(String text, String position, int size) implements Operation {
        public String spec() {
            return "watermark(text=" + Operations.quote(text) + ",position=" + position + ",size=" + size + ")";
        }

        public Optional<String> videoFilter(Path textFile) {
            String xy = switch (position) {
                case "top-left" -> "x=20:y=20";
                case "top-right" -> "x=w-tw-20:y=20";
                case "bottom-left" -> "x=20:y=h-th-20";
                case "center" -> "x=(w-tw)/2:y=(h-th)/2";
                default -> "x=w-tw-20:y=h-th-20";
            };
            return Optional.of("drawtext=textfile=" + Operations.filterPath(textFile) + ":expansion=none:fontsize="
                    + size + ":fontcolor=white@0.8:box=1:boxcolor=black@0.4:boxborderw=6:" + xy);
        }
    }

    /** EBU R128 loudness normalisation to the given integrated loudness (LUFS). */
    record Loudness(double target) implements Operation {
        public String spec() {
            return "loudness(target=" + Operations.number(target) + ")";
        }

        public Optional<String> audioFilter() {
            return Optional.of("loudnorm=I=" + Operations.number(target) + ":TP=-1.5:LRA=11");
        }
    }

    /**
     * A JPEG still of the finished output at a time (seconds, or percent of the duration).
     * Taken after verification, so it shows what users actually get.
     */
    record Thumbnail(double at, boolean percent, int width) implements Operation {
        public String spec() {
            return "thumbnail(at=" + Operations.number(at) + (percent ? "%" : "") + ",width=" + width + ")";
        }

        public double secondsInto(double duration) {
            double t = percent ? duration * at / 100.0 : at;
            // A still exactly at the end has no frame; stay inside the last frame.
            return Math.max(0, Math.min(t, duration - 0.1));
        }
    }
}

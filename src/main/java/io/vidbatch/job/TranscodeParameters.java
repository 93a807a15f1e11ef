package io.vidbatch.job;

import io.vidbatch.config.Roots;
import io.vidbatch.launch.LauncherKind;
import io.vidbatch.media.Ladder;
import io.vidbatch.media.Operation;
import io.vidbatch.media.Operations;
import io.vidbatch.media.Preset;
import io.vidbatch.media.StreamPlan;
import io.vidbatch.notify.Notifier;
import io.vidbatch.store.WorkStore;
import io.vidbatch.work.WorkJson;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The parameters of the {@code transcode} job, parsed and checked in one place: by our REST
 * API before a job starts (400 with field errors) and by the plan step for jobs submitted any
 * other way (Liberty's batch REST API, schedules).
 */
public record TranscodeParameters(
        List<String> inputs,
        Preset preset,
        List<Operation> operations,
        double segmentSeconds,
        int workers,
        String outputDir,
        String launcher,
        int groupSize,
        boolean dryRun,
        String audio,
        Ladder ladder,
        Double minQuality,
        boolean quality,
        String webhooks) {

    public static final String INPUTS = "inputs";
    public static final String PRESET = "preset";
    public static final String OPERATIONS = "operations";
    public static final String SEGMENT_SECONDS = "segmentSeconds";
    public static final String WORKERS = "workers";
    public static final String OUTPUT_DIR = "outputDir";
    public static final String LAUNCHER = "launcher";
    public static final String GROUP_SIZE = "groupSize";
    public static final String DRY_RUN = "dryRun";
    public static final String AUDIO = "audio";
    public static final String LADDER = "ladder";
    public static final String MIN_QUALITY = "minQuality";
    public static final String QUALITY = "quality";
    /** Webhook names (comma-separated) told when the job ends: docs/notifications.md. */
    public static final String NOTIFY = "notify";
    /**
     * The job's inputs as a reference to a list in our own table ({@link InputLists}): what our
     * API and schedules pass, so that a list of any length fits Liberty's 255-character parameters.
     */
    public static final String INPUT_LIST = "inputList";
    /** Every parameter of the job, in the order they are documented. */
    public static final List<String> NAMES = List.of(
            INPUTS,
            PRESET,
            OPERATIONS,
            SEGMENT_SECONDS,
            WORKERS,
            OUTPUT_DIR,
            LAUNCHER,
            GROUP_SIZE,
            DRY_RUN,
            AUDIO,
            LADDER,
            MIN_QUALITY,
            QUALITY,
            NOTIFY);

    public static final String DEFAULT_PRESET = Preset.H264_720P.id();
    public static final int DEFAULT_WORKERS = 2;
    /** The range a minQuality gate may ask for: below 20 dB nothing is recognisable, above 60 nothing is lost. */
    static final double MIN_PSNR = 20;

    static final double MAX_PSNR = 60;
    public static final List<String> LAUNCHERS = LauncherKind.ids();
    /** The longest entry taken: a path longer than Linux's PATH_MAX (4096 bytes) cannot name a file anyway. */
    static final int MAX_ENTRY_CHARS = WorkStore.MAX_ENTRY_CHARS;

    static final double MIN_SEGMENT = 2;
    static final double MAX_SEGMENT = 3600;

    /** Either parameters or the list of everything wrong with them. */
    public record Parsed(TranscodeParameters parameters, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * @param get        looks a parameter up by name (null when absent)
     * @param maxWorkers the operator's cap on partitions per job
     */
    public static Parsed parse(Function<String, String> get, int maxWorkers) {
        return parse(splitInputs(get.apply(INPUTS)), get, maxWorkers);
    }

    /**
     * @param inputs the input entries, however they came (the {@code inputs} parameter or a list);
     *               their number is bounded by what submits them (a 1 MB body, a folder's files)
     */
    public static Parsed parse(List<String> inputs, Function<String, String> get, int maxWorkers) {
        List<FieldError> errors = new ArrayList<>();

        if (inputs.isEmpty()) {
            errors.add(new FieldError(INPUTS, "at least one file, folder or glob is required"));
        }
        if (inputs.stream().anyMatch(s -> s.indexOf('\0') >= 0)) {
            errors.add(new FieldError(INPUTS, "an entry contains a NUL character"));
        }
        inputs.stream()
                .filter(s -> s.length() > MAX_ENTRY_CHARS)
                .findFirst()
                .ifPresent(s -> errors.add(new FieldError(
                        INPUTS,
                        "an entry of " + s.length() + " characters; at most " + MAX_ENTRY_CHARS + " (starting '"
                                + s.substring(0, 40) + "')")));

        String presetName = orDefault(get.apply(PRESET), DEFAULT_PRESET);
        Preset preset = Preset.named(presetName).orElse(null);
        if (preset == null) {
            errors.add(new FieldError(PRESET, "unknown preset '" + presetName + "' (known: " + Preset.names() + ")"));
        }

        List<Operation> ops = List.of();
        try {
            ops = Operations.parse(get.apply(OPERATIONS));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(OPERATIONS, e.getMessage()));
        }

        String segText = orDefault(get.apply(SEGMENT_SECONDS), "0");
        double segment = 0;
        try {
            segment = Double.parseDouble(segText);
            if (!(segment == 0 || (segment >= MIN_SEGMENT && segment <= MAX_SEGMENT))) {
                errors.add(new FieldError(
                        SEGMENT_SECONDS,
                        "'" + segText + "' must be 0 (whole files) or between " + (int) MIN_SEGMENT + " and "
                                + (int) MAX_SEGMENT + " seconds"));
            }
        } catch (NumberFormatException e) {
            errors.add(new FieldError(SEGMENT_SECONDS, "'" + segText + "' is not a number"));
        }

        String workersText = orDefault(get.apply(WORKERS), Integer.toString(DEFAULT_WORKERS));
        FieldError workersError = checkWorkers(workersText, maxWorkers);
        if (workersError != null) {
            errors.add(workersError);
        }

        String launcher = orDefault(get.apply(LAUNCHER), "local");
        if (!LAUNCHERS.contains(launcher)) {
            errors.add(new FieldError(
                    LAUNCHER, "'" + launcher + "' is not available (available: " + String.join(", ", LAUNCHERS) + ")"));
        }

        String groupText = orDefault(get.apply(GROUP_SIZE), "1");
        int groupSize = 0;
        try {
            groupSize = Integer.parseInt(groupText);
        } catch (NumberFormatException e) {
            groupSize = -1;
        }
        if (groupSize < 1 || groupSize > WorkJson.MAX_GROUP) {
            errors.add(new FieldError(
                    GROUP_SIZE,
                    "'" + groupText + "' must be a whole number between 1 and " + WorkJson.MAX_GROUP
                            + " (items per worker)"));
        }

        String dryText = orDefault(get.apply(DRY_RUN), "false");
        if (!dryText.equals("true") && !dryText.equals("false")) {
            errors.add(new FieldError(DRY_RUN, "'" + dryText + "' must be true or false"));
        }

        String audio = orDefault(get.apply(AUDIO), StreamPlan.ALL).toLowerCase(Locale.ROOT);
        String audioError = StreamPlan.checkAudio(audio);
        if (audioError != null) {
            errors.add(new FieldError(AUDIO, audioError));
        }

        Ladder ladder = null;
        String ladderText = get.apply(LADDER);
        if (ladderText != null && !ladderText.isBlank()) {
            try {
                ladder = Ladder.parse(ladderText);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(LADDER, e.getMessage()));
            }
            if (!ops.isEmpty()) {
                // A rendition is measured against its source: a crop or a watermark would count as loss.
                errors.add(new FieldError(OPERATIONS, "operations do not apply to a ladder; ask for one or the other"));
            }
        }

        Double minQuality = null;
        String minText = get.apply(MIN_QUALITY);
        if (minText != null && !minText.isBlank()) {
            try {
                minQuality = Double.parseDouble(minText);
                if (!(minQuality >= MIN_PSNR && minQuality <= MAX_PSNR)) {
                    errors.add(new FieldError(
                            MIN_QUALITY,
                            "'" + minText + "' must be a PSNR in dB from " + (int) MIN_PSNR + " to " + (int) MAX_PSNR));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError(MIN_QUALITY, "'" + minText + "' is not a number (a PSNR in dB)"));
            }
        }

        // Measured by default where it is the point (a ladder, a minQuality gate); a single file's
        // measuring costs a second decode of source and output, so it is asked for.
        boolean measuredByDefault = (ladderText != null && !ladderText.isBlank()) || minQuality != null;
        String qualityText = orDefault(get.apply(QUALITY), Boolean.toString(measuredByDefault));
        if (!qualityText.equals("true") && !qualityText.equals("false")) {
            errors.add(new FieldError(QUALITY, "'" + qualityText + "' must be true or false"));
        } else if (qualityText.equals("false") && minQuality != null) {
            errors.add(new FieldError(MIN_QUALITY, "a minQuality gate needs the quality measured (quality=true)"));
        }

        try {
            Notifier.names(get.apply(NOTIFY));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(NOTIFY, e.getMessage()));
        }

        String outputDir = orDefault(get.apply(OUTPUT_DIR), "");
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(
                new TranscodeParameters(
                        inputs,
                        preset,
                        ops,
                        segment,
                        Integer.parseInt(workersText),
                        outputDir,
                        launcher,
                        groupSize,
                        Boolean.parseBoolean(dryText),
                        audio,
                        ladder,
                        minQuality,
                        Boolean.parseBoolean(qualityText),
                        orDefault(get.apply(NOTIFY), "").strip()),
                errors);
    }

    /** Null when {@code text} is a valid number of workers. */
    public static FieldError checkWorkers(String text, int maxWorkers) {
        try {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= maxWorkers
                    ? null
                    : new FieldError(WORKERS, "'" + text + "' must be between 1 and " + maxWorkers);
        } catch (NumberFormatException e) {
            return new FieldError(WORKERS, "'" + text + "' is not a whole number");
        }
    }

    /**
     * Path checks that need the roots, on the raw values so they can be reported together with
     * every other error: no entry may escape the roots (existence is checked later, per input).
     */
    public static List<FieldError> checkPaths(List<String> inputs, String outputDir, Roots roots) {
        List<FieldError> errors = new ArrayList<>();
        for (String s : inputs) {
            if (roots.resolveInput(Inputs.baseOf(s)).isEmpty() || Inputs.escapesWithGlob(s)) {
                errors.add(new FieldError(INPUTS, "'" + s + "' is outside the allowed input roots"));
            }
        }
        if (roots.resolveOutputDir(outputDir).isEmpty()) {
            errors.add(new FieldError(OUTPUT_DIR, "'" + outputDir + "' is outside the output root"));
        }
        return errors;
    }

    /**
     * The {@code inputs} parameter (Liberty's API): a JSON array of strings (any name, newlines and
     * all, stays whole), else separated by newlines when there are any (names may contain commas),
     * else by commas (what people type).
     */
    public static List<String> splitInputs(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        if (text.strip().startsWith("[")) {
            try (JsonReader r = Json.createReader(new StringReader(text))) {
                return r.readArray().getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .filter(s -> !s.isBlank())
                        .toList();
            } catch (RuntimeException notJson) {
                // a name that starts with '[': read it as a list below
            }
        }
        String separator = text.contains("\n") ? "\n" : ",";
        return Arrays.stream(text.split(separator))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String orDefault(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}

package io.vidbatch.api;

import io.vidbatch.job.InputDetail;
import io.vidbatch.job.JobReport;
import io.vidbatch.job.assemble.Reports;

import java.util.Locale;

/** A job as plain text, for terminals: what `curl -H 'Accept: text/plain'` shows. */
final class JobText {

    private JobText() {}

    static String render(JobViews.Detail d) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "job %d  %s%s%n",
                d.id(),
                d.status(),
                d.exitStatus() == null
                                || d.exitStatus().isBlank()
                                || d.exitStatus().equals(d.status())
                        ? ""
                        : "  " + d.exitStatus()));
        if (d.settings() != null) {
            b.append(String.format(
                    Locale.ROOT,
                    "preset %s, %d workers, launcher %s%s%s%s%s%n",
                    d.settings().preset(),
                    d.settings().workers(),
                    d.settings().launcher(),
                    d.settings().groupSize() > 1 ? ", groups of " + d.settings().groupSize() : "",
                    d.settings().dryRun() ? ", dry run" : "",
                    d.settings().segmentSeconds() > 0
                            ? String.format(
                                    Locale.ROOT,
                                    ", %.0f s segments",
                                    d.settings().segmentSeconds())
                            : "",
                    d.settings().operations().isEmpty()
                            ? ""
                            : ", operations: " + d.settings().operations()));
        }
        JobViews.Progress p = d.progress();
        b.append(String.format(
                Locale.ROOT,
                "progress %5.1f%%  %d of %d items done, %d failed, %d running%s%n",
                p.percent(),
                p.done(),
                p.items(),
                p.failed(),
                p.running(),
                p.etaSeconds() == null ? "" : String.format(Locale.ROOT, ", about %.0f s left", p.etaSeconds())));
        if (!d.items().isEmpty()) {
            b.append(String.format(
                    "%n  %-5s %-5s %-10s %-4s %-8s %6s %7s  %s%n",
                    "item", "input", "part", "part.", "state", "%", "fps", "worker"));
            for (JobViews.Item i : d.items()) {
                String part = i.part().equals("VIDEO_SEGMENT")
                        ? "segment " + i.segment()
                        : i.part().toLowerCase(Locale.ROOT);
                b.append(String.format(
                        Locale.ROOT,
                        "  %-5d %-5d %-10s %-4d %-8s %6.1f %7.1f  %s%n",
                        i.item(),
                        i.input(),
                        part,
                        i.partition(),
                        i.state(),
                        i.percent(),
                        i.fps(),
                        i.worker() == null ? "" : i.worker()));
            }
        }
        if (!d.inputs().isEmpty()) {
            b.append(String.format("%ninputs%n"));
            for (JobReport.Input in : d.inputs()) {
                // The file itself: an entry may be a folder or a glob that stands for many.
                b.append(String.format("  %-9s %s", in.state(), in.source() != null ? in.source() : in.given()));
                InputDetail.Output o = in.output();
                if (o != null) {
                    b.append(String.format(
                            Locale.ROOT,
                            "%n            -> %s  (%dx%d, %d frames, %.2f s, %s, %.1f fps encode)",
                            o.path(),
                            o.width(),
                            o.height(),
                            o.frames(),
                            o.seconds(),
                            o.audio() ? "audio" : "no audio",
                            o.encodeFps()));
                }
                if (in.reason() != null) {
                    b.append(": ").append(in.reason());
                }
                b.append(System.lineSeparator());
            }
        }
        if (d.settings() != null && d.report() != null) {
            b.append(String.format("%nreport %s%n", Reports.file(d.settings(), d.id())));
        }
        return b.toString();
    }
}

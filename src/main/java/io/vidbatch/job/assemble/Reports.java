package io.vidbatch.job.assemble;

import io.vidbatch.job.InputDetail;
import io.vidbatch.job.JobOutcome;
import io.vidbatch.job.JobReport;
import io.vidbatch.media.OutputFiles;
import io.vidbatch.store.InputState;
import io.vidbatch.store.JobSettings;
import io.vidbatch.store.WorkStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Builds a job's report from the store, and writes it beside the outputs. */
@ApplicationScoped
public class Reports {

    @Inject
    WorkStore store;

    /** The report as things stand, or null for a job that was never planned. */
    public JobReport build(long job) throws SQLException {
        JobSettings settings = store.settings(job);
        if (settings == null) {
            return null;
        }
        List<JobReport.Input> inputs = new ArrayList<>();
        int done = 0;
        int failed = 0;
        int rejected = 0;
        int pending = 0;
        long bytes = 0;
        double media = 0;
        double encode = 0;
        long frames = 0;
        for (WorkStore.InputRow r : store.inputs(job)) {
            InputDetail d = r.detail() == null ? null : store.json().fromJson(r.detail(), InputDetail.class);
            boolean problem = r.state() == InputState.REJECTED || r.state() == InputState.FAILED;
            inputs.add(new JobReport.Input(
                    r.input(),
                    r.given(),
                    r.source(),
                    r.state().name(),
                    problem ? r.reason() : null,
                    problem ? null : r.reason(),
                    d == null ? null : d.source(),
                    d == null ? 0 : d.segments(),
                    d == null ? null : d.output(),
                    d == null ? null : d.streams(),
                    d == null ? 0 : d.chapters(),
                    d == null ? null : d.ladder()));
            switch (r.state()) {
                case DONE -> {
                    done++;
                    if (d != null && d.output() != null) {
                        bytes += d.output().bytes();
                        media += d.source().seconds();
                        encode += d.output().encodeSeconds();
                        frames += d.output().frames();
                    }
                }
                case FAILED -> failed++;
                case REJECTED -> rejected++;
                default -> pending++;
            }
        }
        JobReport.Summary summary = new JobReport.Summary(
                pending > 0 ? null : JobOutcome.of(inputs.size(), done),
                inputs.size(),
                done,
                failed,
                rejected,
                pending,
                bytes,
                media,
                encode,
                encode > 0 ? frames / encode : 0);
        return new JobReport(job, settings, summary, inputs);
    }

    /** Where a job's report file lives: in its output folder, named after the job. */
    public static Path file(JobSettings settings, long job) {
        return Path.of(settings.outputDir()).resolve("vidbatch-report-" + job + ".json");
    }

    public Path write(JobReport report) throws IOException {
        Path file = file(report.settings(), report.job());
        Path temp = OutputFiles.temporaryFor(file);
        Files.writeString(temp, store.json().toJson(report), StandardCharsets.UTF_8);
        OutputFiles.publish(temp, file);
        return file;
    }
}

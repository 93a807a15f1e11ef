package io.vidbatch.launch;

import io.vidbatch.media.BadMediaException;
import io.vidbatch.media.Operations;
import io.vidbatch.media.Preset;
import io.vidbatch.media.Progress;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.media.Tools;
import io.vidbatch.media.Transcoder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Runs an item in this JVM: ffmpeg as a child process of the coordinator. The zero set-up default. */
public final class LocalLauncher {

    private final Transcoder transcoder;
    private final String worker;

    public LocalLauncher(Tools tools) {
        this.transcoder = new Transcoder(tools);
        this.worker = "local:" + hostName();
    }

    public WorkResult run(WorkItem item, Progress.Listener progress, BooleanSupplier stopRequested)
            throws BadMediaException, ToolFailureException, StoppedException {
        Preset preset = Preset.named(item.preset())
                .orElseThrow(() -> new BadMediaException("unknown preset '" + item.preset() + "'"));
        Transcoder.Request request = new Transcoder.Request(Path.of(item.source()), Path.of(item.output()), item.part(),
                preset, Operations.parse(item.operations()), item.expected(), Path.of(item.log()));
        Transcoder.Result r = transcoder.transcode(request, progress, stopRequested);
        return new WorkResult(r.output().toString(), r.bytes(), r.width(), r.height(), r.frames(), r.durationSeconds(),
                r.audio(), r.encodeSeconds(), r.encodeFps(), worker);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

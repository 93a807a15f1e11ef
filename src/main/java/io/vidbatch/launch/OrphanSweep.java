package io.vidbatch.launch;

import io.vidbatch.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * At start-up, ends the ffmpeg processes a previous life of this server left behind when it
 * was killed outright (SIGKILL, the OOM killer): the local launcher runs ffmpeg as a child of
 * the coordinator, and a killed parent cannot stop its children. Left running, they would
 * encode on, unseen, into the output root while the restarted job gives their items to new
 * ffmpeg processes. Where setpriv is present the kernel kills them as the coordinator dies
 * (see ParentDeath); this sweep is for machines without it. (Process workers stop by
 * themselves when their coordinator is gone; in a container everything dies with the
 * coordinator.)
 */
@ApplicationScoped
public class OrphanSweep {

    private static final Logger LOG = Logger.getLogger(OrphanSweep.class.getName());

    @Inject
    Settings settings;

    void sweep(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Path out = settings.roots().outputRoot().toAbsolutePath().normalize();
        for (ProcessHandle p : orphans(ProcessHandle.allProcesses().toList(), out.toString())) {
            LOG.warning(() -> "ending ffmpeg " + p.pid() + ", left running by a coordinator that died: "
                    + p.info().commandLine().orElse("?"));
            p.destroyForcibly();
        }
    }

    /**
     * The media tools working in the output root whose parent is gone: reparented to init or a
     * subreaper, which is never a Java process (a live coordinator's ffmpeg has its JVM as parent).
     */
    static List<ProcessHandle> orphans(List<ProcessHandle> all, String outputRoot) {
        return all.stream()
                .filter(p -> {
                    List<String> args = commandLine(p);
                    return !args.isEmpty()
                            && isMediaTool(args.get(0))
                            && args.stream()
                                    .anyMatch(a ->
                                            a.startsWith(outputRoot + "/") || a.startsWith("file:" + outputRoot + "/"))
                            && !p.parent()
                                    .flatMap(parent -> parent.info().command())
                                    .map(c -> named(c, "java"))
                                    .orElse(false);
                })
                .toList();
    }

    private static List<String> commandLine(ProcessHandle p) {
        ProcessHandle.Info info = p.info();
        return info.command()
                .map(c -> {
                    ArrayList<String> l = new ArrayList<>(List.of(c));
                    info.arguments().ifPresent(a -> l.addAll(List.of(a)));
                    return (List<String>) l;
                })
                .orElse(List.of());
    }

    private static boolean isMediaTool(String command) {
        return named(command, "ffmpeg") || named(command, "ffprobe");
    }

    private static boolean named(String command, String name) {
        return Path.of(command).getFileName().toString().equals(name);
    }
}

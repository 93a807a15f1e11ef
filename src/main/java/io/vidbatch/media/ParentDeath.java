package io.vidbatch.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Ties a tool to the JVM that starts it. A coordinator or worker killed outright (SIGKILL, the
 * OOM killer) runs no shutdown hook, so nothing would stop its ffmpeg: it would encode on,
 * unseen, while a restarted coordinator gives the same item to someone else. setpriv asks the
 * kernel (PR_SET_PDEATHSIG) to SIGKILL the tool when its parent goes, then execs the tool in
 * the same process: the pid, exit code and signals stay the tool's own.
 *
 * <p>The kernel's "parent" is the <em>thread</em> that forked the child, not the JVM: the
 * signal also fires if that thread ends while the tool runs. Every caller therefore starts the
 * tool and waits for it on the same thread, and kills it before giving up on it: FfmpegRun
 * polls waitFor until ffmpeg ends or is terminated; Prober, Splitter and Tools wait with a
 * timeout and kill the tool when it runs out. Planning probes run on pooled executor threads,
 * which also wait for their ffprobe before taking the next task. A new caller that hands a
 * running tool to another thread, or lets a short-lived thread start it, would see the tool
 * killed when that thread ends.
 */
final class ParentDeath {

    private static final Logger LOG = Logger.getLogger(ParentDeath.class.getName());
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final boolean AVAILABLE = available();

    private ParentDeath() {}

    /** The command run under setpriv, or as is (logged once) where setpriv is missing. */
    static List<String> tied(List<String> command) {
        if (!AVAILABLE) {
            return command;
        }
        List<String> tied = new ArrayList<>(command.size() + 4);
        tied.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        tied.addAll(command);
        return tied;
    }

    private static boolean available() {
        if (Files.isExecutable(Path.of(SETPRIV))) {
            return true;
        }
        LOG.warning(SETPRIV + " is missing (util-linux): ffmpeg and ffprobe run without a parent-death signal,"
                + " so a coordinator or worker killed outright leaves them running to the end of their work");
        return false;
    }
}

package io.vidbatch.media;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way vidbatch starts a child process (ffmpeg, ffprobe, a worker JVM). A child starts
 * from an empty environment: the coordinator's holds the admin, submitter, keystore and
 * database passwords, and ffmpeg reading untrusted media has no use for any of them. What a
 * child needs beyond {@link #PASSED} it is given explicitly.
 */
public final class ChildProcesses {

    /**
     * What a child may see of this process's environment, where set. PATH: how programs are
     * found. LANG, LC_ALL, LC_CTYPE: without them a worker JVM reads and writes file names as
     * ASCII and fails on any other character. XDG_CACHE_HOME: where fontconfig (the watermark's
     * fonts) may keep its cache when the root filesystem is read-only.
     */
    static final List<String> PASSED = List.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "XDG_CACHE_HOME");

    private static final File NO_INPUT = new File("/dev/null");

    private ChildProcesses() {}

    /** The part of {@code parent} a child gets: {@link #PASSED}, nothing else. */
    static Map<String, String> environment(Map<String, String> parent) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : PASSED) {
            String value = parent.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /**
     * ffmpeg or ffprobe: the minimal environment, no stdin, and killed when the thread that
     * starts it ends (see {@link ParentDeath}), so that thread must wait for it.
     *
     * @throws IOException when the tool is not there: run under setpriv, a missing tool would
     *                     otherwise look like a tool that started and failed on its input
     */
    public static ProcessBuilder tool(List<String> command) throws IOException {
        String exe = command.get(0);
        if (exe.contains("/") && !Files.isExecutable(Path.of(exe))) {
            throw new IOException("Cannot run program \"" + exe + "\": not found or not executable");
        }
        return minimal(ParentDeath.tied(command));
    }

    /**
     * A worker JVM: the minimal environment and its settings. It is not tied to the thread that
     * starts it: it watches the coordinator itself, so that it can stop its ffmpeg and remove
     * its temporary files rather than be killed outright.
     */
    public static ProcessBuilder worker(List<String> command, Map<String, String> settings) {
        ProcessBuilder pb = minimal(command);
        pb.environment().putAll(settings);
        return pb;
    }

    private static ProcessBuilder minimal(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        pb.environment().clear();
        pb.environment().putAll(environment(System.getenv()));
        return pb;
    }
}

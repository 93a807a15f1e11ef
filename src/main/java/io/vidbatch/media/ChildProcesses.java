package io.vidbatch.media;

import java.io.File;
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

    private ChildProcesses() {
    }

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

    /** ffmpeg or ffprobe: the minimal environment and no stdin. */
    public static ProcessBuilder tool(List<String> command) {
        return minimal(command);
    }

    /** A worker JVM: the minimal environment and its settings. */
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

package io.vidbatch.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The ffmpeg and ffprobe executables that every media operation runs. */
public record Tools(String ffmpeg, String ffprobe) {

    /** Binaries found on the PATH (the Debian package's location when PATH is empty). */
    public static Tools onPath() {
        return new Tools(find("ffmpeg"), find("ffprobe"));
    }

    private static String find(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return "/usr/bin/" + name;
    }

    public List<String> ffmpegCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffmpeg);
        // -nostdin: ffmpeg must never wait on or read the coordinator's stdin.
        cmd.addAll(List.of("-hide_banner", "-nostdin"));
        return cmd;
    }

    private static final java.util.Map<String, Boolean> VMAF = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What the report says of VMAF, which vidbatch does not measure: why not. Debian 12's ffmpeg
     * has no {@code libvmaf} filter; another build may, and then the reason is ours, not its.
     */
    public String vmaf() {
        boolean has = VMAF.computeIfAbsent(ffmpeg, Tools::hasVmaf);
        return has
                ? "not measured: vidbatch does not run this ffmpeg's libvmaf filter yet"
                : "not measured: this ffmpeg has no libvmaf filter";
    }

    private static boolean hasVmaf(String exe) {
        try {
            Process p = ChildProcesses.tool(List.of(exe, "-hide_banner", "-nostdin", "-filters"))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().anyMatch(l -> l.matches("\\s*\\S+\\s+libvmaf\\s.*"));
        } catch (Exception e) {
            return false;
        }
    }

    /** True when both tools answer {@code -version}; used by the readiness check. */
    public boolean available() {
        return answers(ffmpeg) && answers(ffprobe);
    }

    private static boolean answers(String exe) {
        try {
            Process p = ChildProcesses.tool(List.of(exe, "-version"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}

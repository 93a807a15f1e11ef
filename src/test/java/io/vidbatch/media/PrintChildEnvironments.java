package io.vidbatch.media;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Stands in for a coordinator with passwords in its environment: prints what {@code printenv}
 * sees when started as a tool ("tool:" lines) and as a worker ("worker:" lines).
 */
public final class PrintChildEnvironments {

    public static void main(String[] args) throws Exception {
        print("tool", ChildProcesses.tool(List.of("/usr/bin/printenv")));
        print("worker", ChildProcesses.worker(List.of("/usr/bin/printenv"), Map.of("VIDBATCH_ITEMS", "[]")));
    }

    private static void print(String as, ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("printenv failed: " + out);
        }
        out.lines().forEach(l -> System.out.println(as + ":" + l));
    }
}

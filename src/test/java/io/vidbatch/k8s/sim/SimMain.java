package io.vidbatch.k8s.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The simulated cluster as a process of its own, for bench/dispatch.sh and for trying the
 * kubernetes launcher by hand against a running coordinator:
 * {@code SimMain PORT KUBECONFIG EXITS}. Writes the kube config, then appends a line
 * "pod exited exit-code created started reported" (times in epoch
 * milliseconds) to EXITS for every pod process that ends; runs until killed.
 */
public final class SimMain {

    private SimMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: SimMain PORT KUBECONFIG EXITS");
            System.exit(2);
        }
        SimulatedCluster cluster = SimulatedCluster.onPort(Integer.parseInt(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        cluster.kubeconfig(Path.of(args[1]));
        Path exits = Path.of(args[2]);
        Files.writeString(exits, "");
        System.out.println("simulated cluster on port " + args[0] + "; kube config " + args[1]);
        int written = 0;
        while (true) {
            List<ProcessExit> all = cluster.processExits();
            StringBuilder b = new StringBuilder();
            for (; written < all.size(); written++) {
                ProcessExit e = all.get(written);
                b.append(e.pod())
                        .append(' ')
                        .append(e.exited().toEpochMilli())
                        .append(' ')
                        .append(e.exitCode())
                        .append(' ')
                        .append(e.created().toEpochMilli())
                        .append(' ')
                        .append(e.started().toEpochMilli())
                        .append(' ')
                        .append(e.reported().toEpochMilli())
                        .append('\n');
            }
            if (b.length() > 0) {
                Files.writeString(exits, b, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            Thread.sleep(200);
        }
    }
}

package io.vidbatch.launch;

import io.vidbatch.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import io.vidbatch.launch.kubernetes.KubernetesLauncher;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/** The launcher a job asked for, by name. */
@ApplicationScoped
public class Launchers {

    public static final String LOCAL = "local";
    public static final String PROCESS = "process";
    public static final String KUBERNETES = "kubernetes";
    public static final List<String> NAMES = List.of(LOCAL, PROCESS, KUBERNETES);

    @Inject
    Settings settings;

    /** Only made when a job asks for it: it connects to the cluster and starts informers. */
    @Inject
    Instance<KubernetesLauncher> kubernetes;

    private volatile LocalLauncher local;
    private volatile ProcessLauncher process;

    public Launcher named(String name) {
        return switch (name) {
            case LOCAL -> local != null ? local : (local = new LocalLauncher(settings.tools()));
            case PROCESS -> process != null ? process : (process = new ProcessLauncher(settings.workerCommand()));
            case KUBERNETES -> kubernetes.get();
            default -> throw new IllegalArgumentException("no launcher '" + name + "'");
        };
    }
}

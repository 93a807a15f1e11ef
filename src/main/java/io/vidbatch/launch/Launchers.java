package io.vidbatch.launch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;

/**
 * The launcher a job asked for: each is a CDI bean named after its {@link LauncherKind}, made on
 * first use (the kubernetes one connects to its cluster then, not when the server starts).
 */
@ApplicationScoped
public class Launchers {

    public static final String LOCAL = "local";
    public static final String PROCESS = "process";
    public static final String KUBERNETES = "kubernetes";

    @Inject
    @Any
    Instance<Launcher> launchers;

    public Launcher of(LauncherKind kind) {
        Instance<Launcher> named = launchers.select(NamedLiteral.of(kind.id()));
        if (!named.isResolvable()) {
            throw new IllegalStateException("no launcher bean named '" + kind.id() + "'");
        }
        return named.get();
    }
}

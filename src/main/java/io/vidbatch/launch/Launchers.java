package io.vidbatch.launch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The launcher a job asked for, by name: each is a CDI bean named after it, made on first use
 * (the kubernetes one connects to its cluster then, not when the server starts).
 */
@ApplicationScoped
public class Launchers {

    public static final String LOCAL = "local";
    public static final String PROCESS = "process";
    public static final String KUBERNETES = "kubernetes";
    public static final List<String> NAMES = List.of(LOCAL, PROCESS, KUBERNETES);

    @Inject
    @Any
    Instance<Launcher> launchers;

    public Launcher named(String name) {
        Instance<Launcher> named = launchers.select(NamedLiteral.of(name));
        if (!named.isResolvable()) {
            throw new IllegalArgumentException("no launcher '" + name + "'");
        }
        return named.get();
    }
}

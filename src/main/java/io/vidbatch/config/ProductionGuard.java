package io.vidbatch.config;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Under the production profile, stops the whole server while a password is still one that every
 * copy of vidbatch ships with (profile/development.xml), or empty: the basic registry's users'
 * and the keystore's, or with registry=ldap the keystore's and the directory's bind password. Stopping the application alone
 * would not do: Liberty's own doors (Admin Center, /ibm/api/batch, /metrics) would still take
 * those passwords. Liberty opens its ports only once the applications have started (or after
 * profile/production.xml's startTimeout), so a server stopped here never listens. The log names
 * the settings to fix (never their values); the server exits with {@link Halt#CONFIGURATION}, and
 * a Kubernetes pod shows it as its exit code.
 *
 * <p>A start-up singleton rather than a CDI observer: the enterprise-bean module starts before the
 * web module, and the schedule runner, a start-up singleton too, waits for this one
 * ({@code @DependsOn}), so no schedule fires on a server about to stop.
 */
@Singleton
@Startup
public class ProductionGuard {

    private static final Logger LOG = Logger.getLogger(ProductionGuard.class.getName());

    static final String PROFILE = "vidbatch.profile";
    static final String REGISTRY = "registry";
    /**
     * The passwords of the basic registry's users: with registry=ldap those users do not exist
     * (the directory checks passwords), so they are neither asked for nor refused.
     */
    static final Set<String> USER_PASSWORDS =
            Set.of("admin.password", "submitter.password", "monitor.password", "scheduler.password");
    /** What the server searches the directory with under registry=ldap: empty is refused, as any other secret. */
    static final String BIND_PASSWORD = "ldap.bind.password";
    /** The server variables that hold a secret, and their development defaults (profile/development.xml). */
    static final Map<String, String> DEV_DEFAULTS = devDefaults();

    private static Map<String, String> devDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("admin.password", "admin-dev");
        m.put("submitter.password", "submitter-dev");
        m.put("monitor.password", "monitor-dev");
        m.put("scheduler.password", "scheduler-dev");
        m.put("keystore.password", "vidbatch-dev-keystore");
        return m;
    }

    @PostConstruct
    void check() {
        Config config = ConfigProvider.getConfig();
        List<String> problems = problems(name -> config.getOptionalValue(name, String.class));
        if (!problems.isEmpty()) {
            LOG.severe("vidbatch will not start, and stops the server: " + String.join("; ", problems));
            Halt.now();
        }
    }

    /** What stops a start under this configuration; empty when it may start. */
    static List<String> problems(Function<String, Optional<String>> config) {
        String profile = config.apply(PROFILE).orElse("development").strip();
        List<String> out = new ArrayList<>();
        if (profile.equals("development")) {
            return out;
        }
        if (!profile.equals("production")) {
            out.add(PROFILE + " (VIDBATCH_PROFILE) is '" + profile + "': development or production");
            return out;
        }
        String registry = config.apply(REGISTRY).orElse("basic").strip();
        boolean ldap = registry.equals("ldap");
        if (!ldap && !registry.equals("basic")) {
            // server.xml found no registry/<registry>.xml: nobody could sign in.
            out.add(REGISTRY + " (REGISTRY) is '" + registry + "': basic or ldap");
        }
        for (Map.Entry<String, String> e : DEV_DEFAULTS.entrySet()) {
            if (ldap && USER_PASSWORDS.contains(e.getKey())) {
                continue;
            }
            String value = config.apply(e.getKey()).orElse("");
            if (value.isBlank()) {
                out.add(env(e.getKey()) + " is not set");
            } else if (value.equals(e.getValue())) {
                out.add(env(e.getKey()) + " is still the development default");
            }
        }
        if (ldap && config.apply(BIND_PASSWORD).orElse("").isBlank()) {
            // An anonymous search of the directory is not how a production server should find its users.
            out.add(env(BIND_PASSWORD) + " is not set");
        }
        return out;
    }

    private static String env(String variable) {
        return variable.replace('.', '_').toUpperCase(Locale.ROOT);
    }
}

package io.vidbatch.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Refuses to start the application under the production profile while a password is still
 * one that every copy of vidbatch ships with (server.xml's development defaults), or empty.
 * The application then does not start: nothing is served and the readiness check stays down,
 * so a Kubernetes rollout stops at this pod, and the log names the settings to fix (never
 * their values).
 */
@ApplicationScoped
public class ProductionGuard {

    private static final Logger LOG = Logger.getLogger(ProductionGuard.class.getName());

    static final String PROFILE = "vidbatch.profile";
    /** The server variables that hold a secret, and their development defaults (server.xml). */
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

    void check(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Config config = ConfigProvider.getConfig();
        List<String> problems = problems(name -> config.getOptionalValue(name, String.class));
        if (!problems.isEmpty()) {
            String message = "vidbatch will not start: " + String.join("; ", problems);
            LOG.severe(message);
            throw new IllegalStateException(message);
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
        for (Map.Entry<String, String> e : DEV_DEFAULTS.entrySet()) {
            String value = config.apply(e.getKey()).orElse("");
            String env = e.getKey().replace('.', '_').toUpperCase(java.util.Locale.ROOT);
            if (value.isBlank()) {
                out.add(env + " is not set");
            } else if (value.equals(e.getValue())) {
                out.add(env + " is still the development default");
            }
        }
        return out;
    }
}

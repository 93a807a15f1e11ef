package io.vidbatch.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which configurations the production profile refuses, and what it says (names, never values). */
class ProductionGuardTest {

    private static Map<String, String> withRealPasswords() {
        Map<String, String> c = new HashMap<>();
        ProductionGuard.DEV_DEFAULTS.keySet().forEach(k -> c.put(k, "s3cret-" + k.hashCode()));
        return c;
    }

    private static java.util.List<String> problems(Map<String, String> c) {
        return ProductionGuard.problems(k -> Optional.ofNullable(c.get(k)));
    }

    @Test
    void developmentStartsWithTheDefaults() {
        Map<String, String> c = new HashMap<>(ProductionGuard.DEV_DEFAULTS);
        assertThat(problems(c)).isEmpty();
        c.put("vidbatch.profile", "development");
        assertThat(problems(c)).isEmpty();
    }

    @Test
    void productionRefusesEveryDefaultAndEveryEmptyPasswordByName() {
        Map<String, String> c = withRealPasswords();
        c.put("vidbatch.profile", "production");
        assertThat(problems(c)).isEmpty();

        c.put("admin.password", "admin-dev");
        c.put("keystore.password", "vidbatch-dev-keystore");
        c.put("scheduler.password", " ");
        c.remove("monitor.password");
        assertThat(problems(c)).containsExactlyInAnyOrder("ADMIN_PASSWORD is still the development default",
                "KEYSTORE_PASSWORD is still the development default", "SCHEDULER_PASSWORD is not set", "MONITOR_PASSWORD is not set");
        assertThat(String.join(" ", problems(c))).doesNotContain("admin-dev").doesNotContain("vidbatch-dev-keystore");
    }

    @Test
    void aMisspeltProfileIsRefusedRatherThanTakenForDevelopment() {
        Map<String, String> c = new HashMap<>(ProductionGuard.DEV_DEFAULTS);
        c.put("vidbatch.profile", "prod");
        assertThat(problems(c)).containsExactly("vidbatch.profile (VIDBATCH_PROFILE) is 'prod': development or production");
    }
}

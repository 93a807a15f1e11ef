package io.vidbatch.config;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        assertThat(problems(c))
                .containsExactlyInAnyOrder(
                        "ADMIN_PASSWORD is still the development default",
                        "KEYSTORE_PASSWORD is still the development default",
                        "SCHEDULER_PASSWORD is not set",
                        "MONITOR_PASSWORD is not set");
        assertThat(String.join(" ", problems(c))).doesNotContain("admin-dev").doesNotContain("vidbatch-dev-keystore");
    }

    @Test
    void productionWithADirectoryAsksForTheBindPasswordNotTheBasicRegistrysOnes() {
        Map<String, String> c = new HashMap<>();
        c.put("vidbatch.profile", "production");
        c.put("registry", "ldap");
        c.put("keystore.password", "s3cret-keystore");
        c.put("ldap.bind.password", "s3cret-bind");
        // No ADMIN_PASSWORD etc.: the directory's users sign in with the directory's passwords.
        assertThat(problems(c)).isEmpty();
        // The development profile's user passwords, if set, do not matter either: no such users exist.
        c.putAll(ProductionGuard.DEV_DEFAULTS);
        c.put("keystore.password", "s3cret-keystore");
        assertThat(problems(c)).isEmpty();

        c.put("ldap.bind.password", " ");
        assertThat(problems(c)).containsExactly("LDAP_BIND_PASSWORD is not set");
        c.remove("ldap.bind.password");
        c.put("keystore.password", "vidbatch-dev-keystore");
        assertThat(problems(c))
                .containsExactlyInAnyOrder(
                        "KEYSTORE_PASSWORD is still the development default", "LDAP_BIND_PASSWORD is not set");
    }

    @Test
    void theBasicRegistryIgnoresTheBindPasswordAndAMisspeltRegistryIsRefused() {
        Map<String, String> c = withRealPasswords();
        c.put("vidbatch.profile", "production");
        c.put("registry", "basic");
        assertThat(problems(c)).as("no directory, no bind password needed").isEmpty();
        c.put("registry", "LDAP");
        assertThat(problems(c)).containsExactly("registry (REGISTRY) is 'LDAP': basic or ldap");
    }

    @Test
    void aMisspeltProfileIsRefusedRatherThanTakenForDevelopment() {
        Map<String, String> c = new HashMap<>(ProductionGuard.DEV_DEFAULTS);
        c.put("vidbatch.profile", "prod");
        assertThat(problems(c))
                .containsExactly("vidbatch.profile (VIDBATCH_PROFILE) is 'prod': development or production");
    }

    @Test
    void theGuardKnowsTheDevelopmentPasswordsOfTheDevelopmentProfileAndServerXmlHasNone() throws Exception {
        // The guard compares with the passwords profile/development.xml gives: one list, two places.
        assertThat(variables("profile/development.xml")).isEqualTo(ProductionGuard.DEV_DEFAULTS);
        // Without the development profile a password is empty unless set, never left undefined
        // (Liberty would take the literal ${admin.password} as the password).
        Map<String, String> base = variables("server.xml");
        ProductionGuard.DEV_DEFAULTS
                .keySet()
                .forEach(k -> assertThat(base).as(k).containsEntry(k, ""));
        assertThat(variables("profile/production.xml")).isEmpty();
    }

    /** The {@code <variable name defaultValue>} elements of a file of the server's configuration. */
    private static Map<String, String> variables(String file) throws Exception {
        var doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("src/main/liberty/config", file).toFile());
        NodeList list = doc.getDocumentElement().getElementsByTagName("variable");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element v = (Element) list.item(i);
            if (v.getAttribute("name").endsWith(".password")) {
                out.put(v.getAttribute("name"), v.getAttribute("defaultValue"));
            }
        }
        return out;
    }
}

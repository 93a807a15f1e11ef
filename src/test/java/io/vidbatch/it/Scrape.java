package io.vidbatch.it;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One read of Liberty's {@code /metrics} (Prometheus text), as a scraper would take it: samples
 * by name and launcher tag. Liberty writes label sets with a trailing comma ({@code {a="b",}}).
 */
record Scrape(Map<String, Double> samples) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static String url() {
        return "https://localhost:" + System.getProperty("microshed_https_port") + "/metrics?scope=application";
    }

    /** Reads /metrics as the given user; fails the test unless it answers 200. */
    static Scrape as(String user) {
        Api.Reply r = Api.as(user).get(url());
        assertThat(r.status()).as("GET /metrics as " + user + ": " + r.body()).isEqualTo(200);
        return parse(r.body());
    }

    static Scrape parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            // Quantiles of a summary are not needed here, and would share its name and launcher.
            if (line.startsWith("#") || !m.find() || m.group(2).contains("quantile=")) {
                continue;
            }
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                if (l.group(1).equals("launcher")) {
                    samples.put(key(m.group(1), l.group(2)), Double.parseDouble(m.group(3)));
                }
            }
        }
        return new Scrape(samples);
    }

    /** A sample's value; a series Liberty does not print fails the test (we register every one at start). */
    double get(String name, String launcher) {
        Double v = samples.get(key(name, launcher));
        assertThat(v)
                .as(name + "{launcher=\"" + launcher + "\"} in /metrics " + samples.keySet())
                .isNotNull();
        return v;
    }

    private static String key(String name, String launcher) {
        return name + "/" + launcher;
    }
}

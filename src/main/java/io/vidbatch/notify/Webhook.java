package io.vidbatch.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An endpoint events are posted to, registered by an administrator under a name that jobs and
 * schedules give in {@code notify}. Its secret signs every delivery and is never shown again.
 */
public record Webhook(String name, URI url, String secret, Instant savedAt) {

    /** Without the secret: a record's own would print it into any log line that names the webhook. */
    @Override
    public String toString() {
        return "Webhook[" + name + " " + url + "]";
    }

    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
    static final int MIN_SECRET = 24;
    static final int MAX_SECRET = 512;
    static final int MAX_URL = 2000;

    /** Why {@code url} cannot be an endpoint, or null. Redirects are never followed, so none is checked. */
    public static String urlProblem(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL) {
            return "url must be an http or https URL of at most " + MAX_URL + " characters";
        }
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return "url is not a URL: " + e.getReason();
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "url must start with https:// (or http://)";
        }
        if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawFragment() != null) {
            return "url must name a host, with no user:password@ and no #fragment";
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            return "url: the port must be from 1 to 65535";
        }
        return null;
    }

    /** Why {@code secret} cannot sign deliveries, or null. */
    public static String secretProblem(String secret) {
        if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            return "secret must have " + MIN_SECRET + " to " + MAX_SECRET + " characters (e.g. openssl rand -hex 32)";
        }
        if (!secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return "secret must be printable ASCII without spaces";
        }
        return null;
    }
}

package io.vidbatch.api;

import java.net.URI;

/**
 * Tells a request another site's page made a browser send (cross-site request forgery) from
 * one our own pages or a script made. Browsers add the sign-on cookie, and cached Basic
 * credentials, to a cross-site form post on their own; they also say where it came from
 * ({@code Sec-Fetch-Site}, or in older ones {@code Origin}), which scripts do not send at all.
 */
public final class SameOrigin {

    private SameOrigin() {}

    /** False when the browser says the request came from another site. */
    public static boolean allowed(String secFetchSite, String origin, String host) {
        if (secFetchSite != null) {
            // "none": typed in the address bar or a bookmark; never a page's doing.
            return secFetchSite.equals("same-origin") || secFetchSite.equals("none");
        }
        if (origin == null) {
            return true;
        }
        try {
            return host != null && host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

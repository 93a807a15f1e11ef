package io.vidbatch.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The Content-Disposition of a download, safe for any file name. */
final class Downloads {

    private Downloads() {}

    /**
     * {@code attachment} with an ASCII fallback name (quotes, backslashes, control and non-ASCII
     * characters replaced: a name may hold anything a file system allows) and the exact name in
     * RFC 5987's {@code filename*}, which browsers prefer.
     */
    static String attachment(String name) {
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        String exact = URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + exact;
    }
}

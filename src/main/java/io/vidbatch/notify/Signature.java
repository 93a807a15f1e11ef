package io.vidbatch.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The signature of a delivery, as the Standard Webhooks specification has it: HMAC-SHA256 over
 * "{id}.{timestamp}.{body}" with the endpoint's secret, sent as {@code webhook-signature: v1,<base64>}
 * beside {@code webhook-id} and {@code webhook-timestamp}. Signing the id and the time too lets a
 * receiver refuse a replayed or re-dated delivery; its libraries verify it as it is.
 */
public final class Signature {

    private Signature() {}

    public static String of(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

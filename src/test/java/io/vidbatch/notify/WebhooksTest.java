package io.vidbatch.notify;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhooksTest {

    /**
     * Standard Webhooks' scheme, the figure computed by another implementation:
     * printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' \
     *   | openssl dgst -sha256 -hmac 'whsec-0123456789abcdef0123456789' -binary | base64
     */
    @Test
    void theSignatureIsHmacSha256OverIdTimestampAndBody() {
        String sig = Signature.of(
                "whsec-0123456789abcdef0123456789",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}");
        assertThat(sig).isEqualTo("v1,nRGSDAdmFP+VTOgdfhSTjFetBORG/dUhuCMZkL3pT48=");
    }

    @Test
    void aJobsEndIsACloudEventWhoseTypeSaysHowItEnded() {
        Instant at = Instant.parse("2026-12-06T07:00:00.123456Z");
        JsonObject partial =
                json(Event.jobEnded(7, 12, "submitter", "COMPLETED", "PARTIAL: 1 of 2 inputs done", "PARTIAL", at));
        assertThat(partial.getString("specversion")).isEqualTo("1.0");
        assertThat(partial.getString("type")).isEqualTo("io.vidbatch.job.partial");
        assertThat(partial.getString("subject")).isEqualTo("7");
        assertThat(partial.getString("time")).isEqualTo("2026-12-06T07:00:00.123Z");
        assertThat(partial.getJsonObject("data").getInt("execution")).isEqualTo(12);
        assertThat(partial.getJsonObject("data").getString("submitter")).isEqualTo("submitter");
        assertThat(json(Event.jobEnded(7, 12, "submitter", "COMPLETED", "ALL DONE: 2 of 2", "ALL_DONE", at))
                        .getString("type"))
                .isEqualTo("io.vidbatch.job.completed");
        assertThat(json(Event.jobEnded(7, 12, "submitter", "FAILED", "NONE DONE", "NONE_DONE", at))
                        .getString("type"))
                .isEqualTo("io.vidbatch.job.failed");
        assertThat(json(Event.jobEnded(7, 12, "submitter", "STOPPED", null, null, at))
                        .getString("type"))
                .isEqualTo("io.vidbatch.job.stopped");
        Event one = Event.jobEnded(7, 12, "submitter", "FAILED", null, null, at);
        Event two = Event.jobEnded(7, 12, "submitter", "FAILED", null, null, at);
        assertThat(one.id()).as("each event its own id").isNotEqualTo(two.id());
        assertThat(json(one).getString("id")).isEqualTo(one.id());
    }

    @Test
    void notifyNamesAreCheckedAndDeduplicated() {
        assertThat(Notifier.names(" pipeline, ops ,pipeline")).containsExactly("pipeline", "ops");
        assertThat(Notifier.names(null)).isEmpty();
        assertThat(Notifier.names("  ")).isEmpty();
        assertThatThrownBy(() -> Notifier.names("Pipeline")).hasMessageContaining("not a webhook name");
        assertThatThrownBy(() -> Notifier.names("a,,b")).hasMessageContaining("not a webhook name");
        assertThatThrownBy(() -> Notifier.names("a,b,c,d,e,f,g,h,i,j,k")).hasMessageContaining("at most 10");
    }

    @Test
    void endpointsMustBePlainHttpUrlsAndSecretsLongEnough() {
        assertThat(Webhook.urlProblem("https://hooks.example/vidbatch?team=media"))
                .isNull();
        assertThat(Webhook.urlProblem("http://10.0.0.7:8080/hook")).isNull();
        assertThat(Webhook.urlProblem("file:///etc/passwd")).contains("https://");
        assertThat(Webhook.urlProblem("https://user:pw@hooks.example/")).contains("user:password@");
        assertThat(Webhook.urlProblem("https:///nohost")).contains("name a host");
        assertThat(Webhook.urlProblem("https://hooks.example/" + "a".repeat(2000)))
                .contains("2000");
        assertThat(Webhook.urlProblem("https://hooks example/")).contains("not a URL");
        assertThat(Webhook.secretProblem("short")).contains("24 to 512");
        assertThat(Webhook.secretProblem("a secret with spaces in it, long enough"))
                .contains("without spaces");
        assertThat(Webhook.secretProblem("0123456789abcdef0123456789abcdef")).isNull();
    }

    @Test
    void retriesWaitTwiceAsLongEachTimeUpToTheCapWithJitter() {
        Dispatcher d = new Dispatcher();
        d.retrySeconds = 10;
        d.retryMaxSeconds = 900;
        for (int k = 1; k <= 12; k++) {
            double expected = Math.min(10 * Math.pow(2, k - 1), 900);
            Duration wait = d.backoff(k);
            assertThat(wait.toMillis() / 1000.0).as("after attempt %d", k).isBetween(expected * 0.8, expected * 1.2);
        }
    }

    private static JsonObject json(Event e) {
        try (var r = Json.createReader(new StringReader(e.body()))) {
            return r.readObject();
        }
    }
}

package io.vidbatch.api;

import io.vidbatch.job.FieldError;
import io.vidbatch.job.InvalidJobException;
import io.vidbatch.notify.Notifier;
import io.vidbatch.notify.WebhookStore;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** What jobs and the webhook resource share: the check of a job's {@code notify}, and how a delivery is shown. */
final class Webhooks {

    private Webhooks() {}

    /** A delivery as the API shows it: never its body's secrets (it has none) nor the endpoint's. */
    public record DeliveryView(
            String id,
            String webhook,
            String type,
            String subject,
            String state,
            int attempts,
            Instant created,
            Instant lastAttempt,
            Instant nextAttempt,
            String lastError,
            Instant delivered) {

        static DeliveryView of(WebhookStore.Delivery d) {
            return new DeliveryView(
                    d.id(),
                    d.endpoint(),
                    d.type(),
                    d.subject(),
                    d.state(),
                    d.attempts(),
                    d.created(),
                    d.lastAt(),
                    d.state().equals(WebhookStore.PENDING) ? d.nextAt() : null,
                    d.lastError(),
                    d.deliveredAt());
        }
    }

    /** Refuses a {@code notify} naming a webhook nobody registered: the job would end untold. */
    static void checkKnown(Notifier notifier, String notify, String field) {
        List<String> unknown;
        try {
            unknown = notifier.unknown(notify);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the webhooks: " + e.getMessage(), e);
        }
        if (!unknown.isEmpty()) {
            throw new InvalidJobException(List.of(new FieldError(
                    field, "no webhook named " + String.join(", ", unknown) + " (GET /api/v1/webhooks lists them)")));
        }
    }
}

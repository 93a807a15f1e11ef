package io.vidbatch.k8s.sim;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Kubernetes serialises metav1.Time as RFC 3339 in UTC with whole seconds ("...T12:00:00Z"). */
final class Times {
    private Times() {}

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }
}

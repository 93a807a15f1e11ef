package io.vidbatch.notify;

import javax.sql.DataSource;

/** A Notifier and its store over a test's own database, for tests outside this package. */
public final class NotifierTestAccess {

    private NotifierTestAccess() {}

    public static WebhookStore store(DataSource dataSource) {
        WebhookStore store = new WebhookStore();
        store.dataSource = dataSource;
        return store;
    }

    public static Notifier over(WebhookStore store) {
        Notifier n = new Notifier();
        n.store = store;
        return n;
    }
}

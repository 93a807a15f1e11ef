package io.vidbatch.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.logging.Logger;

/** Creates the work tables at start-up, so the first job does not pay for it and errors show early. */
@ApplicationScoped
public class SchemaSetup {

    private static final Logger LOG = Logger.getLogger(SchemaSetup.class.getName());

    @Inject
    WorkStore store;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        try {
            store.ensureSchema();
        } catch (SQLException e) {
            // Not fatal: the datasource may come up later; readiness reports it and the first job retries.
            LOG.severe("cannot create the vidbatch tables yet: " + e.getMessage());
        }
    }
}

package io.vidbatch.api;

import io.vidbatch.store.JobSearch;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The job list's filters, from query parameters to what the search takes; a bad one is a 400 naming it. */
final class JobFilters {

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private JobFilters() {}

    /** running, completed, partial, failed, stopped; comma-separated; empty or null: all. */
    static Set<JobSearch.State> states(String text) {
        Set<JobSearch.State> states = EnumSet.noneOf(JobSearch.State.class);
        if (text == null || text.isBlank()) {
            return states;
        }
        for (String part : text.split(",")) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            try {
                states.add(JobSearch.State.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw ApiError.of(
                        Response.Status.BAD_REQUEST,
                        "state: '" + (part.length() > 40 ? part.substring(0, 40) + "…" : part.strip())
                                + "' is not one of running, completed, partial, failed, stopped");
            }
        }
        return states;
    }

    /**
     * An instant (2026-12-01T02:00:00Z) or a day (2026-12-01, UTC); a day given as {@code to}
     * includes that whole day.
     */
    static Instant day(String text, String field, boolean end) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            Instant at = t.length() == 10
                    ? (end ? LocalDate.parse(t).plusDays(1) : LocalDate.parse(t))
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                    : Instant.parse(t);
            // What a database timestamp holds, whatever the string said.
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw ApiError.of(Response.Status.BAD_REQUEST, field + ": from 1970 to 9999");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw ApiError.of(
                    Response.Status.BAD_REQUEST,
                    field + ": a day (2026-12-01) or an instant (2026-12-01T02:00:00Z), not '"
                            + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'");
        }
    }
}

package io.vidbatch.work;

/** An item the worker is through with, done or bad input, on its way from the processor to the writer. */
public record Finished(WorkItem item, Outcome outcome) {}

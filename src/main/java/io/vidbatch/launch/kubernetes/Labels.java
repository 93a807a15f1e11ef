package io.vidbatch.launch.kubernetes;

import io.vidbatch.work.WorkItem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and labels of worker Jobs. The name depends only on the job instance and the item, so
 * a coordinator restarted mid-run finds (and adopts) the Job it created before; the labels let
 * {@code kubectl get pods -l vidbatch.io/job-instance=7} find a job's pods.
 */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String COORDINATOR = "vidbatch.io/coordinator";
    /**
     * The identity of the coordinator's database. The prefix alone cannot tell two coordinators
     * in one namespace apart, nor a coordinator from the one that ran before its database was
     * recreated: both would number their jobs from 1 and name their Jobs alike.
     */
    public static final String OWNER = "vidbatch.io/owner";

    public static final String JOB_INSTANCE = "vidbatch.io/job-instance";
    public static final String EXECUTION = "vidbatch.io/execution";
    public static final String PARTITION = "vidbatch.io/partition";
    /** The group's first item. */
    public static final String ITEM = "vidbatch.io/item";
    /** Annotation: every item the Job runs, comma-separated. */
    public static final String ITEMS = "vidbatch.io/items";
    /** Set by the Job controller on the pods it makes. */
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    /** Set by the Job controller on its pods: the Job's uid, unlike its name never reused. */
    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    /** The same label before Kubernetes 1.27, which clusters still carry on older pods. */
    public static final String LEGACY_CONTROLLER_UID = "controller-uid";

    private Labels() {}

    /** A group's Job is named after its first item; which items it runs is in its {@link #ITEMS} annotation. */
    public static String jobName(String prefix, List<WorkItem> group) {
        WorkItem first = group.get(0);
        return prefix + "-" + first.jobInstance() + "-" + first.item();
    }

    /** The group's item numbers, as the {@link #ITEMS} annotation holds them. */
    static String items(List<WorkItem> group) {
        return WorkItem.numbers(group);
    }

    /** What the informers watch: every worker Job and pod of this coordinator. */
    public static String selector(String prefix, String owner) {
        return MANAGED_BY + "=vidbatch," + COORDINATOR + "=" + prefix + "," + OWNER + "=" + owner;
    }

    /** The owner a Job carries, or null (made by someone else, or by a vidbatch before owners). */
    static String owner(io.kubernetes.client.openapi.models.V1Job job) {
        return job.getMetadata().getLabels() == null
                ? null
                : job.getMetadata().getLabels().get(OWNER);
    }

    static Map<String, String> of(String prefix, String owner, List<WorkItem> group, long execution, int partition) {
        WorkItem item = group.get(0);
        Map<String, String> l = new LinkedHashMap<>();
        l.put(MANAGED_BY, "vidbatch");
        l.put(NAME, "vidbatch-worker");
        l.put(COORDINATOR, prefix);
        l.put(OWNER, owner);
        l.put(JOB_INSTANCE, Long.toString(item.jobInstance()));
        l.put(EXECUTION, Long.toString(execution));
        l.put(PARTITION, Integer.toString(partition));
        l.put(ITEM, Integer.toString(item.item()));
        return l;
    }
}

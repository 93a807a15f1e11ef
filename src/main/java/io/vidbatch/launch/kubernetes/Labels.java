package io.vidbatch.launch.kubernetes;

import io.vidbatch.work.WorkItem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names and labels of worker Jobs. The name depends only on the job instance and the item, so
 * a coordinator restarted mid-run finds (and adopts) the Job it created before; the labels let
 * {@code kubectl get pods -l vidbatch.io/job-instance=7} find a job's pods.
 */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String VERSION = "app.kubernetes.io/version";
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

    /** A label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' between. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

    private Labels() {}

    /** The tag of an image reference ("registry:5000/vidbatch-worker:1.4.2" → 1.4.2), when it can be a label. */
    static Optional<String> version(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = name.lastIndexOf(':');
        if (colon < 0 || colon < name.lastIndexOf('/')) {
            return Optional.empty(); // no tag: "registry:5000/worker" has a port, not a tag
        }
        String tag = name.substring(colon + 1);
        return LABEL_VALUE.matcher(tag).matches() ? Optional.of(tag) : Optional.empty();
    }

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

    /**
     * A worker Job's and its pod's labels: Kubernetes' recommended ones as the coordinator's
     * objects carry them (the instance is the coordinator's prefix, the version the worker
     * image's tag when it has one), and vidbatch's own.
     */
    static Map<String, String> of(
            String prefix, String owner, String image, List<WorkItem> group, long execution, int partition) {
        WorkItem item = group.get(0);
        Map<String, String> l = new LinkedHashMap<>();
        l.put(MANAGED_BY, "vidbatch");
        l.put(NAME, "vidbatch");
        l.put(COMPONENT, "worker");
        l.put(PART_OF, "vidbatch");
        l.put(INSTANCE, prefix);
        version(image).ifPresent(v -> l.put(VERSION, v));
        l.put(COORDINATOR, prefix);
        l.put(OWNER, owner);
        l.put(JOB_INSTANCE, Long.toString(item.jobInstance()));
        l.put(EXECUTION, Long.toString(execution));
        l.put(PARTITION, Integer.toString(partition));
        l.put(ITEM, Integer.toString(item.item()));
        return l;
    }
}

package io.vidbatch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layering of docs/architecture.md, held by the build: each package depends only
 * on those below it, and no two packages depend on each other through any path.
 */
class ArchitectureTest {

    /** Besides the JDK (its XML parser included, for DASH manifests): JSON-P, the one library the worker carries. */
    private static final String[] PLAIN = {
        "java..", "javax.annotation.processing..", "javax.xml..", "org.w3c.dom..", "org.xml.sax..", "jakarta.json.."
    };

    private static JavaClasses product;
    private static JavaClasses all;

    @BeforeAll
    static void read() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vidbatch");
        all = new ClassFileImporter().importPackages("io.vidbatch");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.vidbatch.(**)").should().beFreeOfCycles().check(product);
    }

    @Test
    void mediaIsPlainJavaOverFfmpeg() {
        only("io.vidbatch.media..", "io.vidbatch.media..").check(product);
    }

    @Test
    void theWorkContractNeedsOnlyMedia() {
        only("io.vidbatch.work..", "io.vidbatch.work..", "io.vidbatch.media..").check(product);
    }

    @Test
    void theWorkerNeedsOnlyTheWorkContractAndMedia() {
        only("io.vidbatch.worker..", "io.vidbatch.worker..", "io.vidbatch.work..", "io.vidbatch.media..")
                .check(product);
    }

    @Test
    void launchersKnowNothingOfJobsStorageOrApi() {
        noClasses()
                .that()
                .resideInAPackage("io.vidbatch.launch..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vidbatch.job..",
                        "io.vidbatch.store..",
                        "io.vidbatch.api..",
                        "io.vidbatch.schedule..",
                        "io.vidbatch.metrics..",
                        "io.vidbatch.console..",
                        "io.vidbatch.health..",
                        "io.vidbatch.worker..")
                .check(product);
    }

    @Test
    void theKubernetesLauncherIsFoundByCdiNotByName() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.vidbatch.launch.kubernetes..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.vidbatch.launch.kubernetes..")
                .check(product);
    }

    @Test
    void storageKnowsNothingOfJobsOrApi() {
        noClasses()
                .that()
                .resideInAPackage("io.vidbatch.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vidbatch.job..",
                        "io.vidbatch.launch..",
                        "io.vidbatch.api..",
                        "io.vidbatch.schedule..",
                        "io.vidbatch.metrics..",
                        "io.vidbatch.console..")
                .check(product);
    }

    /** Notifications sit below jobs and schedules: they tell of them, they do not know them. */
    @Test
    void notificationsKnowNothingOfWhatTheyTellOf() {
        noClasses()
                .that()
                .resideInAPackage("io.vidbatch.notify..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vidbatch.job..",
                        "io.vidbatch.schedule..",
                        "io.vidbatch.api..",
                        "io.vidbatch.launch..",
                        "io.vidbatch.retention..",
                        "io.vidbatch.console..")
                .check(product);
    }

    @Test
    void theJobKnowsNothingOfItsClients() {
        noClasses()
                .that()
                .resideInAPackage("io.vidbatch.job..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vidbatch.api..",
                        "io.vidbatch.schedule..",
                        "io.vidbatch.console..",
                        "io.vidbatch.metrics..",
                        "io.vidbatch.health..",
                        "io.vidbatch.worker..")
                .check(product);
    }

    /** A step's package is its own: the common part (job) and the other steps never reach into it. */
    @Test
    void theStepsShareOnlyTheirCommonPart() {
        for (String step : new String[] {"plan", "transcode", "assemble"}) {
            noClasses()
                    .that()
                    .resideInAPackage("io.vidbatch.job..")
                    .and()
                    .resideOutsideOfPackage("io.vidbatch.job." + step + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.vidbatch.job." + step + "..")
                    .check(product);
        }
    }

    @Test
    void onlyTheConsoleUsesTheApiAndNobodyUsesSchedulesMetricsOrHealth() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.vidbatch.api..", "io.vidbatch.console..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.vidbatch.api..")
                .check(product);
        noClasses()
                .that()
                .resideOutsideOfPackages("io.vidbatch.schedule..", "io.vidbatch.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.vidbatch.schedule..")
                .check(product);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.vidbatch.metrics..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.vidbatch.metrics..")
                .check(product);
    }

    /** The simulated cluster is test code of its own: it knows nothing of the product it stands in for. */
    @Test
    void theSimulatedClusterKeepsToItself() {
        noClasses()
                .that()
                .resideInAPackage("io.vidbatch.k8s.sim..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.vidbatch..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("io.vidbatch.k8s.sim..")))
                .check(all);
    }

    private static ArchRule only(String packageOf, String... allowed) {
        String[] packages = new String[allowed.length + PLAIN.length];
        System.arraycopy(allowed, 0, packages, 0, allowed.length);
        System.arraycopy(PLAIN, 0, packages, allowed.length, PLAIN.length);
        return classes()
                .that()
                .resideInAPackage(packageOf)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(packages);
    }
}

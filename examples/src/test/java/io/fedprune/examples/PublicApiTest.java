package io.fedprune.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The embedding example and the worked test-kit example use only the public API (docs/EMBEDDING.md):
 * the embedding, test-kit, strategy and data packages and the configuration profiles — never the
 * experiment driver, the aggregator's or client's internals, or the CLI.
 */
class PublicApiTest {
    /** What docs/EMBEDDING.md calls the public API. */
    static final String[] PUBLIC_API = {"io.fedprune.actors.embed..", "io.fedprune.actors.testkit..",
        "io.fedprune.core.strategy..", "io.fedprune.core.data..", "io.fedprune.serialization"};

    static final JavaClasses SERVICE = new ClassFileImporter().importPackages("io.fedprune.examples.service");
    static final JavaClasses KIT_EXAMPLE = new ClassFileImporter().importPackages("io.fedprune.examples.kit");

    static String[] allowed(String... more) {
        String[] all = new String[PUBLIC_API.length + more.length + 1];
        System.arraycopy(PUBLIC_API, 0, all, 0, PUBLIC_API.length);
        System.arraycopy(more, 0, all, PUBLIC_API.length, more.length);
        all[all.length - 1] = "java..";
        return all;
    }

    @Test
    void theExampleServiceTouchesOnlyThePublicApi() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(allowed("io.fedprune.examples.service..",
                "org.apache.pekko.actor.typed..", "com.typesafe.config..")).check(SERVICE);
    }

    @Test
    void theWorkedTestKitExampleTouchesOnlyThePublicApiAndTheKit() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(allowed("io.fedprune.examples.kit..",
                "org.junit..", "org.apache.pekko.actor.testkit.typed.javadsl..", "com.typesafe.config..")).check(KIT_EXAMPLE);
    }
}

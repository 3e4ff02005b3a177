package io.fedprune.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.serialization.KryoRegistrations;
import io.fedprune.serialization.WireMessage;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules of DESIGN.md, checked on the compiled classes of every module:
 * core knows nothing of Pekko, packages form no cycles, strategies hold no actor types, and every
 * message that may cross a node (and every project type inside one) is registered with the Kryo
 * serializer, so a missing registration fails the build instead of a message silently vanishing.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.fedprune");

    @Test
    void coreImportsNoPekkoAndNoOtherModule() {
        noClasses().that().resideInAPackage("io.fedprune.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "io.fedprune.actors..",
                        "io.fedprune.serialization..", "io.fedprune.examples..", "com.typesafe.config..")
                .check(CLASSES);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.fedprune.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void strategiesHoldNoActorTypes() {
        classes().that().implement(Strategy.class)
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("org.apache.pekko..", "io.fedprune.actors..")
                .check(CLASSES);
    }

    @Test
    void everyCrossNodeMessageAndWhatItCarriesIsRegisteredWithKryo() throws ClassNotFoundException {
        Set<Class<?>> registered = new HashSet<>();
        for (KryoRegistrations r : ServiceLoader.load(KryoRegistrations.class)) {
            registered.addAll(r.classes());
        }
        List<Class<?>> messages = new ArrayList<>();
        for (JavaClass c : CLASSES) {
            if (c.isAssignableTo(WireMessage.class) && !c.isInterface()) {
                messages.add(Class.forName(c.getName()));
            }
        }
        assertTrue(messages.size() >= 10, "the import must see the actor messages, found " + messages);
        Set<String> missing = new TreeSet<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> m : messages) {
            requireRegistered(m, registered, missing, seen);
        }
        assertEquals(Set.of(), missing, "classes sent across nodes but not listed in a KryoRegistrations provider");
    }

    /** The class, and every project record or enum its record components hold, must be registered. */
    private static void requireRegistered(Class<?> type, Set<Class<?>> registered, Set<String> missing,
                                          Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        if (!registered.contains(type)) {
            missing.add(type.getName());
        }
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                Class<?> t = rc.getType();
                if (t.getName().startsWith("io.fedprune.") && !t.isInterface() && (t.isRecord() || t.isEnum())) {
                    requireRegistered(t, registered, missing, seen);
                }
            }
        }
    }
}

package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.pekko.util.WildcardIndex;
import org.apache.pekko.util.WildcardTree;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The large-message lane patterns against Pekko's own matcher (the one Artery consults): every
 * model-carrying path matches, ordinary ones do not. Pekko's matcher has quirks (one wildcard
 * pattern per prefix and parent; see {@link ActorPaths#largeMessageDestinations()}), so this is
 * checked, not assumed.
 */
class ActorPathsTest {

    static WildcardIndex<Boolean> index() {
        WildcardIndex<Boolean> index = new WildcardIndex<>(WildcardTree.apply(), WildcardTree.apply());
        for (String pattern : ActorPaths.largeMessageDestinations()) {
            index = index.insert(pattern.substring(1).split("/"), Boolean.TRUE);
        }
        return index;
    }

    static boolean large(WildcardIndex<Boolean> index, String path) {
        List<String> elements = Arrays.asList(path.substring(1).split("/"));
        return index.find(CollectionConverters.asScala(elements)).isDefined();
    }

    @Test
    void everyModelCarryingPathTakesTheLargeLane() {
        WildcardIndex<Boolean> index = index();
        for (String path : List.of(
                "/user/fedprune/aggregator", "/user/fedprune/aggregator/$$a-adapter", "/user/fedprune/aggregator/round-3",
                "/user/fedprune/client-0", "/user/fedprune/client-17", "/user/fedprune/client-3/$$a-adapter",
                "/user/aggregator", "/user/aggregator/$$b-adapter", "/user/client-5",
                "/system/aggregator", "/system/aggregator/aggregator", "/system/aggregator/aggregator/$$a-adapter",
                "/system/client-0/client", "/system/client-12/client", "/system/client-12/client/$$a-adapter")) {
            assertEquals(true, large(index, path), path);
        }
        for (String path : List.of("/user/fedprune", "/system/receptionist", "/temp/$a", "/system/client-3",
                "/user/other")) {
            assertEquals(false, large(index, path), path);
        }
    }
}

package io.fedprune.examples.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Chart.js as the WebJar on the classpath ships it: the live page is served it from the jar, a
 * report inlines it, so neither needs a network at view time. The version is the WebJar's own, so
 * upgrading the dependency needs no edit here.
 */
public final class ChartJs {
    private static final String POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    /** Served under /webjars/ by the live page. */
    public static final String WEBJARS = "META-INF/resources/webjars";

    private ChartJs() {
    }

    public static String version() {
        try (InputStream in = resource(POM)) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + POM, e);
        }
    }

    /** The path of the UMD bundle under {@link #WEBJARS}. */
    public static String bundlePath() {
        return "chart.js/" + version() + "/dist/chart.umd.js";
    }

    /** The UMD bundle's text, to inline in a self-contained page. */
    public static String bundle() {
        try (InputStream in = resource(WEBJARS + "/" + bundlePath())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the Chart.js WebJar", e);
        }
    }

    static InputStream resource(String path) throws IOException {
        InputStream in = ChartJs.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException(path + " is not on the classpath (the chart.js WebJar is missing)");
        }
        return in;
    }
}

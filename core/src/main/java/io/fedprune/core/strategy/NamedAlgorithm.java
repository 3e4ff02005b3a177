package io.fedprune.core.strategy;

/** An {@link Algorithm} with its name and summary given once; subclasses read settings and build the strategy. */
public abstract class NamedAlgorithm<S> implements Algorithm<S> {
    private final String name;
    private final String summary;

    protected NamedAlgorithm(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String summary() {
        return summary;
    }
}

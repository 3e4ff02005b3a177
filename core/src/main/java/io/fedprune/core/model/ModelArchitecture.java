package io.fedprune.core.model;

/** The network families the framework builds. Later work prunes by layer kind and splits these. */
public enum ModelArchitecture {
    /** Fully connected 784-200-10 (input and class count follow the dataset). */
    MLP,
    /** LeNet-style CNN: conv 5x5x20, pool, conv 5x5x50, pool, dense 500, output. */
    LENET,
    /** Small VGG-style CNN: 2 x (conv3x3, conv3x3, pool) with 16/32 channels, dense 128, output. */
    VGG_SMALL;

    public static ModelArchitecture parse(String name) {
        for (ModelArchitecture a : values()) {
            if (a.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "', expected one of mlp, lenet, vgg-small");
    }
}

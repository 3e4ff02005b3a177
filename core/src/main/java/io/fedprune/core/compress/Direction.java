package io.fedprune.core.compress;

/** Server-to-client is downlink, client-to-server uplink. */
public enum Direction { UPLINK, DOWNLINK }

package io.floorgate.gateway.location;

/** Told of every zone entry and exit the {@link ZoneEstimator} decides, on the thread that drives it. */
public interface ZoneChangeListener {

    void entered(ZoneEntry entry);

    void exited(ZoneExit exit);
}

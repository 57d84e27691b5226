package io.floorgate.gateway.alerts;

/**
 * Told of every change to an alert: raised, acknowledged, resolved ({@link Alert#isOpen()} and
 * {@link Alert#acknowledgement()} say which). Called on the alert stage's context, in the order of the changes; must
 * not block.
 */
@FunctionalInterface
public interface AlertListener {

    void onAlert(Alert alert);
}

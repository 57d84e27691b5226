package io.floorgate.gateway.staff.ops;

import java.util.List;

import io.vertx.core.Future;

/** The alerts the gateway raises, as the ops page reads and acknowledges them. */
public interface OpsAlerts {

    /** The open alerts and those acknowledged recently, newest first; thread-safe, never blocks. */
    List<OpsAlert> current();

    /** Fails with {@link IllegalArgumentException} when no alert has this id. */
    Future<OpsAlert> acknowledge(String alertId, String staffId);
}

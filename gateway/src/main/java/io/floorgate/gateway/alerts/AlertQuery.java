package io.floorgate.gateway.alerts;

import java.util.List;
import java.util.Optional;

/** The store's alerts, for the ops page. Thread-safe; every answer is a snapshot. */
public interface AlertQuery {

    /** The alerts whose condition still holds, the oldest first. */
    List<Alert> open();

    /** Recently resolved alerts, the most recently resolved first; at most {@link AlertBook#RECENT_KEPT}. */
    List<Alert> recent();

    /** One alert, open or recent. */
    Optional<Alert> alert(String id);
}

package io.floorgate.gateway.staff.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.floorgate.gateway.alerts.Alert;
import io.floorgate.gateway.alerts.AlertStage;
import io.vertx.core.Future;

/** The alert stage's alerts as the ops page shows them: the open ones, then the recently resolved, newest first. */
public final class StageAlerts implements OpsAlerts {

    private final AlertStage alerts;

    public StageAlerts(AlertStage alerts) {
        this.alerts = alerts;
    }

    @Override
    public List<OpsAlert> current() {
        Comparator<Alert> newestFirst = Comparator.comparingLong(Alert::raisedAtMs).reversed();
        List<OpsAlert> current = new ArrayList<>();
        alerts.open().stream().sorted(newestFirst).map(StageAlerts::shown).forEach(current::add);
        alerts.recent().stream().sorted(newestFirst).map(StageAlerts::shown).forEach(current::add);
        return current;
    }

    @Override
    public Future<OpsAlert> acknowledge(String alertId, String staffId) {
        return alerts.acknowledge(alertId, staffId).compose(acknowledged -> acknowledged.map(StageAlerts::shown)
                .map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new IllegalArgumentException("no alert " + alertId))));
    }

    private static OpsAlert shown(Alert alert) {
        Optional<Alert.Acknowledgement> ack = alert.acknowledgement();
        return new OpsAlert(alert.id(), alert.kind().label(), alert.subject(), alert.message(), alert.raisedAtMs(),
                ack.map(Alert.Acknowledgement::staffId),
                ack.map(a -> OptionalLong.of(a.atMs())).orElse(OptionalLong.empty()));
    }
}

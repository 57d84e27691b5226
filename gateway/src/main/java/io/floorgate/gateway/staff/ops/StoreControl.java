package io.floorgate.gateway.staff.ops;

import java.util.function.Supplier;

import io.floorgate.gateway.config.ReloadResult;
import io.floorgate.gateway.ingest.Command;
import io.floorgate.gateway.ingest.CommandOutcome;
import io.floorgate.gateway.ingest.DeviceCommands;
import io.vertx.core.Future;

/** An admin's controls from the ops page: device commands through ingest, and the configuration reload. */
public final class StoreControl implements OpsControl {

    /** Long enough to find a blinking receiver on a shelf. */
    static final int IDENTIFY_SECONDS = 30;

    private final DeviceCommands commands;
    private final Supplier<Future<ReloadResult>> reload;

    public StoreControl(DeviceCommands commands, Supplier<Future<ReloadResult>> reload) {
        this.commands = commands;
        this.reload = reload;
    }

    @Override
    public Future<String> identify(String deviceId) {
        return commands.send(deviceId, new Command.Identify(IDENTIFY_SECONDS)).map(StoreControl::said);
    }

    @Override
    public Future<String> reboot(String deviceId) {
        return commands.send(deviceId, new Command.Reboot()).map(StoreControl::said);
    }

    @Override
    public Future<String> reloadConfiguration() {
        return reload.get().map(result -> switch (result.outcome()) {
            case APPLIED -> "configuration reloaded and applied";
            case UNCHANGED -> "the configuration file is unchanged; nothing to apply";
            case REFUSED -> "configuration refused; the one in force stays: " + String.join("; ", result.problems());
        });
    }

    private static String said(CommandOutcome outcome) {
        return outcome.acknowledged()
                ? outcome.kind() + " sent to " + outcome.deviceId() + "; the device acknowledged it"
                : outcome.kind() + " not delivered to " + outcome.deviceId() + ": " + outcome.status().label();
    }
}

package io.floorgate.sim;

import io.floorgate.sim.arrivals.ArrivalsCommand;
import io.floorgate.sim.checkin.CheckInCommand;
import io.floorgate.sim.connect.ConnectCommand;
import io.floorgate.sim.demo.DemoCommand;
import io.floorgate.sim.load.LoadCommand;
import io.floorgate.sim.misbehave.MisbehaveCommand;
import io.floorgate.sim.play.PlayCommand;
import io.floorgate.sim.score.ScoreCommand;
import io.floorgate.sim.soak.SoakCheckCommand;
import io.floorgate.sim.soak.SoakLoadCommand;
import io.floorgate.sim.store.GenStoreCommand;
import io.floorgate.sim.upstream.UpstreamBenchCommand;
import io.floorgate.sim.upstream.UpstreamCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "floorgate-sim", mixinStandardHelpOptions = true, version = "floorgate-sim 0.1",
        description = "Floorgate store simulator: plays a store's devices against a gateway, misbehaves, loads it.",
        subcommands = {DemoCommand.class, PlayCommand.class, MisbehaveCommand.class, LoadCommand.class, GenStoreCommand.class,
                ConnectCommand.class, ScoreCommand.class, CheckInCommand.class, ArrivalsCommand.class,
                UpstreamCommand.class, UpstreamBenchCommand.class, SoakLoadCommand.class, SoakCheckCommand.class})
public final class SimulatorMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }
}

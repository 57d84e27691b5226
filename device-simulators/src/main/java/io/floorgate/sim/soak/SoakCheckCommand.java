package io.floorgate.sim.soak;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import io.floorgate.sim.GatewayDatabase;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soak-check", mixinStandardHelpOptions = true,
        description = "Checks a stopped (or killed) gateway's database against a soak-load journal: every"
                + " acknowledged event, check-in and pickup step is stored, and no row twice. Exit status 0 when so,"
                + " 1 when something is lost or duplicated, 2 when the database does not open.")
public final class SoakCheckCommand implements Callable<Integer> {

    private static final int EXIT_LOST_OR_DUPLICATED = 1;
    private static final int EXIT_DATABASE_DID_NOT_OPEN = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "The gateway's data directory, or a copy of it.")
    private Path dataDir;

    @Option(names = "--journal", required = true, description = "soak-load's journal.")
    private Path journal;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path file = GatewayDatabase.file(dataDir);
        if (!Files.isRegularFile(file)) {
            out.println("database did not open: no " + file.getFileName() + " in " + dataDir);
            return EXIT_DATABASE_DID_NOT_OPEN;
        }
        // As the gateway does at a start after a kill (its store/UncleanStopRecovery): H2's quick recovery can miss
        // the newest commits in a killed process's file, its recovery scan finds them. Whether the gateway itself did
        // shows in the check of its own file after the soak, where a commit missed at any restart stays missing.
        try {
            new MVStore.Builder().fileName(file.toString()).recoveryMode().open().close();
        } catch (MVStoreException e) {
            out.println("database did not open: " + e.getMessage());
            return EXIT_DATABASE_DID_NOT_OPEN;
        }
        String url = GatewayDatabase.jdbcUrl(dataDir);
        SoakCheck.Result result;
        try {
            result = SoakCheck.check(url, SoakJournal.read(journal));
        } catch (SQLException e) {
            out.println("database did not open: " + e.getMessage());
            return EXIT_DATABASE_DID_NOT_OPEN;
        }
        out.println(result.line());
        result.lost().forEach(line -> out.println("lost: " + line));
        result.duplicates().forEach(line -> out.println("duplicate: " + line));
        return result.lostCount() == 0 && result.duplicateCount() == 0 ? 0 : EXIT_LOST_OR_DUPLICATED;
    }
}

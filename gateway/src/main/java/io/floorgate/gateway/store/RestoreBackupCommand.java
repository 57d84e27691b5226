package io.floorgate.gateway.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floorgate-gateway restore-backup --data-dir D [--backup FILE]}: puts a backup (the newest in
 * {@code D/backups/} unless one is named) in place of the database, the current file set aside, never deleted. Refuses
 * while a gateway has the database open: the running gateway would go on writing to the file it holds.
 */
@Command(name = "restore-backup", mixinStandardHelpOptions = true,
        description = {"Restores the gateway's database from a backup, with the gateway stopped. The current",
                "database file, if any, is moved to <data-dir>/set-aside/, never deleted."})
public final class RestoreBackupCommand implements Callable<Integer> {

    private static final int EXIT_REFUSED = 1;

    @Option(names = "--data-dir", required = true, description = "The gateway's data directory.")
    private Path dataDir;

    @Option(names = "--backup", description = "The backup to restore; default: the newest in <data-dir>/backups.")
    private Path backupFile;

    private final PrintStream out;
    private final PrintStream err;

    public RestoreBackupCommand() {
        this(System.out, System.err);
    }

    RestoreBackupCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        BackupDirectory directory = new BackupDirectory(dataDir);
        if (isOpen(directory.databaseFile())) {
            err.println(directory.databaseFile() + " is open in a running gateway (or another H2 process): stop it"
                    + " first. A restore under it would be overwritten by what it writes next.");
            return EXIT_REFUSED;
        }
        Optional<BackupDirectory.Backup> chosen = backupFile != null ? named(backupFile) : directory.latest();
        if (chosen.isEmpty()) {
            err.println(backupFile != null ? "No backup file at " + backupFile.toAbsolutePath()
                    : "There is no backup in " + directory.backupsDir() + "; name one with --backup FILE.");
            return EXIT_REFUSED;
        }
        BackupDirectory.Backup backup = chosen.get();
        Optional<Path> aside = directory.setAsideDatabase(Instant.now());
        try {
            directory.restore(backup);
        } catch (IOException e) {
            if (aside.isPresent()) {
                Files.move(aside.get(), directory.databaseFile(), StandardCopyOption.ATOMIC_MOVE);
            }
            err.println("Nothing was restored: " + e.getMessage() + ". The database file is as it was.");
            return EXIT_REFUSED;
        }
        out.println("Restored " + directory.databaseFile() + " from " + backup.file() + " (taken " + backup.takenAt()
                + "); what was written after that is not in it.");
        aside.ifPresent(path -> out.println("The previous database file is kept as " + path + "."));
        out.println("Start the gateway as usual.");
        return 0;
    }

    /** A named backup: its time from its name, or from the file's modification time when renamed. */
    private static Optional<BackupDirectory.Backup> named(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Instant at = BackupDirectory.takenAt(file).orElse(Files.getLastModifiedTime(file).toInstant());
        return Optional.of(new BackupDirectory.Backup(file.toAbsolutePath(), at, Files.size(file)));
    }

    /** H2 holds an operating-system lock on the database file while it has it open, in this process or another. */
    static boolean isOpen(Path databaseFile) throws IOException {
        if (!Files.exists(databaseFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(databaseFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }
}

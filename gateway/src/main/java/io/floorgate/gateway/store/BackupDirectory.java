package io.floorgate.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The data directory's files around the database: {@code backups/floorgate-<UTC time>.zip}, each a complete
 * {@code BACKUP TO} of the database, and {@code set-aside/}, where a damaged or replaced database file is moved
 * rather than deleted.
 *
 * <p>A backup is written under a {@code .part} name and renamed when complete, so a backup cut short (a crash, a
 * full disk) never counts as one. Restoring extracts the database file from a backup, checking every entry's CRC,
 * again under a temporary name that is renamed into place only once complete.
 *
 * <p>Blocking file work: worker threads and the command line only.
 */
public final class BackupDirectory {

    /** The database's own file in the data directory: {@link Database}'s file name with H2's MVStore suffix. */
    public static final String DATABASE_FILE = "floorgate.mv.db";
    static final String BACKUPS = "backups";
    static final String SET_ASIDE = "set-aside";
    private static final String PREFIX = "floorgate-";
    private static final String SUFFIX = ".zip";
    static final String PART_SUFFIX = ".part";
    /** Milliseconds and UTC: names sort as the backups were taken, and two in one second do not collide. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** One complete backup. */
    public record Backup(Path file, Instant takenAt, long sizeBytes) {
    }

    private final Path dataDir;

    public BackupDirectory(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path databaseFile() {
        return dataDir.resolve(DATABASE_FILE);
    }

    public Path backupsDir() {
        return dataDir.resolve(BACKUPS);
    }

    /** Complete backups, newest first; {@code .part} files and anything else in the directory are not backups. */
    public List<Backup> backups() throws IOException {
        Path dir = backupsDir();
        List<Backup> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                takenAt(file).ifPresent(at -> found.add(new Backup(file, at, sizeOf(file))));
            }
        }
        found.sort(Comparator.comparing(Backup::takenAt).reversed());
        return found;
    }

    public Optional<Backup> latest() throws IOException {
        return backups().stream().findFirst();
    }

    /** The backup's time, from its name; empty for a file whose name is not a backup's. */
    public static Optional<Instant> takenAt(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(name.substring(PREFIX.length(),
                    name.length() - SUFFIX.length()))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Where a backup taken at {@code at} is written: its final name, to be written first under {@link #partOf}. */
    Path newBackupFile(Instant at) throws IOException {
        Files.createDirectories(backupsDir());
        return backupsDir().resolve(PREFIX + STAMP.format(at) + SUFFIX);
    }

    static Path partOf(Path backup) {
        return backup.resolveSibling(backup.getFileName() + PART_SUFFIX);
    }

    /** Deletes backups beyond the newest {@code kept}, and {@code .part} files left by a backup that was cut short. */
    List<Path> rotate(int kept) throws IOException {
        List<Path> deleted = new ArrayList<>();
        List<Backup> all = backups();
        for (Backup old : all.subList(Math.min(kept, all.size()), all.size())) {
            Files.deleteIfExists(old.file());
            deleted.add(old.file());
        }
        if (Files.isDirectory(backupsDir())) {
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(backupsDir(), "*" + PART_SUFFIX)) {
                for (Path part : parts) {
                    Files.deleteIfExists(part);
                    deleted.add(part);
                }
            }
        }
        return deleted;
    }

    /**
     * Moves the database file, if there is one, into {@code set-aside/} under the time it was moved.
     *
     * @return where it went; empty when there was no file
     */
    public Optional<Path> setAsideDatabase(Instant now) throws IOException {
        Path file = databaseFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Path dir = dataDir.resolve(SET_ASIDE);
        Files.createDirectories(dir);
        Path target = dir.resolve(PREFIX + STAMP.format(now) + ".mv.db");
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        return Optional.of(target);
    }

    /**
     * Writes the database file from a backup. There must be no database file (set it aside first): a restore never
     * overwrites one.
     *
     * @throws IOException when the backup is damaged (a CRC error), holds no database file, or cannot be written
     */
    public void restore(Backup backup) throws IOException {
        Path target = databaseFile();
        if (Files.exists(target)) {
            throw new IOException(target + " exists; it is set aside before a restore, never overwritten");
        }
        Path part = target.resolveSibling(DATABASE_FILE + PART_SUFFIX);
        boolean found = false;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup.file()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(DATABASE_FILE)) {
                    // Read to its end, so ZipInputStream checks the entry's CRC before the file counts as restored.
                    copy(zip, part);
                    found = true;
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw new IOException("backup " + backup.file() + " is damaged: " + e.getMessage(), e);
        }
        if (!found) {
            throw new IOException("backup " + backup.file() + " holds no " + DATABASE_FILE);
        }
        // A clean-stop marker vouches for the file that was here, not for the backup's copy, whose header H2 wrote
        // while it ran: the first open scans it (UncleanStopRecovery).
        Files.deleteIfExists(dataDir().resolve(UncleanStopRecovery.CLEAN_STOP_MARKER));
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copy(InputStream in, Path to) throws IOException {
        try (OutputStream out = Files.newOutputStream(to)) {
            in.transferTo(out);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}

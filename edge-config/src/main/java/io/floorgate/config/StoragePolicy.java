package io.floorgate.config;

import java.time.Duration;

/**
 * How the gateway looks after its data directory ({@code storage:}): the free space it keeps, what it does with a
 * damaged database at start, and its periodic online backups.
 *
 * @param minFreeSpaceBytes below this much usable space on the data directory's disk, every write is refused (and
 *                          left unacknowledged) until space frees again; 0 refuses only once the disk is really full
 * @param onDamaged         what a start that finds the database file damaged (or missing beside backups) does
 * @param backupInterval    how often the database is backed up while the gateway runs
 * @param backupsKept       how many backups are kept, the oldest deleted first; 0 takes none
 */
public record StoragePolicy(long minFreeSpaceBytes, OnDamaged onDamaged, Duration backupInterval, int backupsKept) {

    /** A store file without {@code storage:}, and stores built in code: a 64 MiB floor, refuse, a backup an hour. */
    public static final StoragePolicy DEFAULT = new StoragePolicy(64L * 1024 * 1024, OnDamaged.REFUSE,
            Duration.ofHours(1), 24);

    /** What a start does when the database file cannot be opened as it is. */
    public enum OnDamaged {
        /** Stop with a message that names the file and the command to recover; the operator decides. */
        REFUSE,
        /** Move the damaged file aside and start from the newest backup that opens, saying so in the log. */
        RESTORE_LATEST_BACKUP
    }

    public boolean takesBackups() {
        return backupsKept > 0;
    }
}

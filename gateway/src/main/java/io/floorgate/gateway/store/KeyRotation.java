package io.floorgate.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.h2.tools.ChangeFileEncryption;

/**
 * Changes the key of a stopped gateway's database, or encrypts a database kept in clear until now: the file is
 * re-encrypted (H2's {@code ChangeFileEncryption}) and every {@link SealedColumn} resealed, on a copy, which replaces
 * the database in one atomic rename only once it opens with the new key and every sealed value unseals under it.
 * Until then the database is untouched: an interrupted rotation leaves it under the old key, and is run again.
 *
 * <p>The database file stays locked while this runs, so a gateway started meanwhile refuses to open it; a running
 * gateway holds the lock, so a rotation refuses to start.
 *
 * <p>What it does not change: backups made before (they stay under the old key) and the key files themselves.
 */
public final class KeyRotation {

    /** Beside the database, so that the final rename stays on one file system. */
    static final String WORK_DIR = "key-rotation.work";
    private static final String CIPHER = "AES";

    private KeyRotation() {
    }

    /**
     * @param oldKey the key the database is encrypted with now; empty: it is in clear
     * @return how many sealed values were resealed
     */
    public static int rotate(Path dataDir, Optional<DatabaseKey> oldKey, DatabaseKey newKey)
            throws KeyRefused, IOException, SQLException {
        Path file = Database.file(dataDir);
        if (!Files.isRegularFile(file)) {
            throw new KeyRefused("there is no database in " + dataDir + " (no " + file.getFileName() + ")");
        }
        boolean encrypted = Database.isEncrypted(file);
        if (encrypted && oldKey.isEmpty()) {
            throw new KeyRefused("the database in " + dataDir + " is encrypted: give its current key as the old key");
        }
        if (!encrypted && oldKey.isPresent()) {
            throw new KeyRefused("the database in " + dataDir + " is not encrypted: there is no old key to give;"
                    + " encrypt it with --from-unencrypted");
        }
        Path work = dataDir.resolve(WORK_DIR);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = lockOrRefuse(channel, dataDir);
            try {
                return rotateCopy(dataDir, work, oldKey, newKey);
            } finally {
                lock.release();
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private static int rotateCopy(Path dataDir, Path work, Optional<DatabaseKey> oldKey, DatabaseKey newKey)
            throws KeyRefused, IOException, SQLException {
        deleteRecursively(work);
        Files.createDirectories(work);
        Path copy = Database.file(work);
        Files.copy(Database.file(dataDir), copy);
        int resealed;
        try (Database db = openCopy(work, oldKey, dataDir)) {
            resealed = reseal(db, Sealer.of(oldKey), Sealer.of(Optional.of(newKey)));
        }
        ChangeFileEncryption.execute(work.toString(), Database.NAME, CIPHER,
                oldKey.map(DatabaseKey::filePassword).orElse(null), newKey.filePassword(), true);
        try (Database db = Database.open(work, Optional.of(newKey))) {
            unsealAll(db);
        }
        try (FileChannel written = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            written.force(true);
        }
        Files.move(copy, Database.file(dataDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return resealed;
    }

    private static FileLock lockOrRefuse(FileChannel channel, Path dataDir) throws IOException, KeyRefused {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new KeyRefused("the database in " + dataDir + " is in use (a gateway runs on it): stop the gateway,"
                    + " then rotate; nothing was changed");
        }
        return lock;
    }

    private static Database openCopy(Path work, Optional<DatabaseKey> oldKey, Path dataDir)
            throws KeyRefused, IOException, SQLException {
        try {
            return Database.open(work, oldKey);
        } catch (KeyRefused e) {
            throw new KeyRefused("the old key (from " + oldKey.map(DatabaseKey::source).orElse("nowhere")
                    + ") does not open the database in " + dataDir + "; nothing was changed", e);
        }
    }

    /** Every sealed value, unsealed with the one sealer and sealed with the other, in one transaction. */
    private static int reseal(Database db, Sealer from, Sealer to) throws SQLException {
        int count = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (SealedColumn column : SealedColumn.ALL) {
                Map<String, byte[]> values = read(c, column);
                try (PreparedStatement update = c.prepareStatement("UPDATE " + column.table() + " SET "
                        + column.column() + " = ? WHERE " + column.idColumn() + " = ?")) {
                    for (Map.Entry<String, byte[]> v : values.entrySet()) {
                        update.setBytes(1, to.seal(column, v.getKey(), from.unseal(column, v.getKey(), v.getValue())));
                        update.setString(2, v.getKey());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                count += values.size();
            }
            c.commit();
        }
        return count;
    }

    /** Fails unless every sealed value unseals under the database's own key. */
    private static void unsealAll(Database db) throws SQLException {
        try (Connection c = db.connect()) {
            for (SealedColumn column : SealedColumn.ALL) {
                read(c, column).forEach((id, value) -> db.sealer().unseal(column, id, value));
            }
        }
    }

    private static Map<String, byte[]> read(Connection c, SealedColumn column) throws SQLException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT " + column.idColumn() + ", " + column.column()
                + " FROM " + column.table() + " WHERE " + column.column() + " IS NOT NULL");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getBytes(2));
            }
        }
        return values;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

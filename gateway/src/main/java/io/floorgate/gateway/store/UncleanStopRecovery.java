package io.floorgate.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes H2 find its newest commit after a stop that was not clean (kill -9, a crash, a power cut), before the
 * database is opened.
 *
 * <p>Why: H2 2.5.252 writes a chunk into reused space in the middle of the file, where the chunk before it did not
 * predict it, and then rewrites the file header, but with the chunk before as the newest one
 * ({@code RandomAccessStore.writeChunk} runs before {@code FileStore.storeBuffer} makes the new chunk the last). At the
 * next open its quick recovery follows that header and the chain of predicted positions, stops short of the new chunk,
 * and treats it and every chunk after it as never written: commits that had returned, and that the gateway had
 * acknowledged, are gone. The crash soak lost up to 34 acknowledged writes in 20 kills that way (docs/crash-soak.md).
 *
 * <p>Opening the file once in H2's recovery mode scans every block for the newest complete set of chunks instead, and
 * closing it writes a clean header that points there, so the JDBC open that follows starts from the newest commit.
 * The scan reads the whole file, so it runs only when the last stop is not known to be clean: {@link #markCleanStop}
 * leaves a marker beside the file after a clean close, and {@link #beforeOpen} takes it away before every open. H2
 * also closes a database by itself, without a clean header, when a write fails (a full disk); {@link Database}
 * scans before it reopens one.
 */
final class UncleanStopRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(UncleanStopRecovery.class);

    /** Beside the database file while it is closed after a clean stop; absent while it is open or after a crash. */
    static final String CLEAN_STOP_MARKER = Database.NAME + ".clean-stop";

    private UncleanStopRecovery() {
    }

    /**
     * Before H2 opens the database in {@code dataDir}: when its file exists and its last stop is not known to be clean,
     * lets H2's recovery scan pick the newest complete commit and record it in the file's header.
     *
     * @return whether the scan ran
     * @throws KeyRefused when the key does not open the encrypted file
     * @throws IOException when the scan fails; its cause is H2's {@link MVStoreException}, which says whether the
     *         file is damaged
     */
    static boolean beforeOpen(Path dataDir, Optional<DatabaseKey> key) throws IOException, KeyRefused {
        boolean cleanStop = Files.deleteIfExists(dataDir.resolve(CLEAN_STOP_MARKER));
        return !cleanStop && scan(dataDir, key, "The last stop was not clean");
    }

    /**
     * Lets H2's recovery scan pick the newest complete commit in the closed database file in {@code dataDir} and
     * record it in the file's header. Does nothing when there is no file: H2 would make an empty one.
     *
     * @param why what the log line starts with
     * @return whether the scan ran
     */
    static boolean scan(Path dataDir, Optional<DatabaseKey> key, String why) throws IOException, KeyRefused {
        Path file = Database.file(dataDir);
        if (!Files.exists(file)) {
            return false;
        }
        long start = System.nanoTime();
        MVStore.Builder builder = new MVStore.Builder().fileName(file.toString()).recoveryMode();
        // What H2 gives the store for CIPHER=AES: the file password's characters (Store.decodePassword undoes
        // FilePathEncrypt.getPasswordBytes).
        key.ifPresent(k -> builder.encryptionKey(k.filePassword()));
        long version;
        try {
            MVStore store = builder.open();
            version = store.getCurrentVersion();
            store.close();
        } catch (MVStoreException e) {
            if (key.isPresent() && e.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT) {
                // As H2's own open reports it: an encrypted file that reads as garbage was given another key.
                throw Database.otherKey(dataDir, key.get(), e);
            }
            throw new IOException("H2's recovery scan of " + file + " failed: " + e.getMessage(), e);
        }
        LOG.info("{}: H2's recovery scan of {} found its newest commit (version {}) in {} ms", why, file, version,
                (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    /** After H2 closed the database in {@code dataDir} cleanly: the next open may trust the file's header. */
    static void markCleanStop(Path dataDir) throws IOException {
        Files.write(dataDir.resolve(CLEAN_STOP_MARKER), new byte[0]);
    }
}

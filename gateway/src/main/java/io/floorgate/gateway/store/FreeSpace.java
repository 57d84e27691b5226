package io.floorgate.gateway.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The usable space on the disk that holds the data directory. Measuring is one {@code statvfs} call, cheap enough
 * for the group committer to measure before every batch.
 */
public interface FreeSpace {

    /** Never measured: a committer without a floor still refuses writes when the disk is really full. */
    FreeSpace UNMEASURED = new FreeSpace() {
        @Override
        public long usableBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public String disk() {
            return "the database's disk";
        }
    };

    long usableBytes() throws IOException;

    /** The disk, for messages. */
    String disk();

    /** The disk of {@code dataDir}, which must exist. */
    static FreeSpace of(Path dataDir) throws IOException {
        FileStore store = Files.getFileStore(dataDir);
        String disk = "the disk of " + dataDir.toAbsolutePath();
        return new FreeSpace() {
            @Override
            public long usableBytes() throws IOException {
                return store.getUsableSpace();
            }

            @Override
            public String disk() {
                return disk;
            }
        };
    }
}

package io.floorgate.gateway.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files that hold a key (the database key, the customer key): created readable by their owner only from their first
 * byte, and checked for permissions that open them to others. Where the file system has no POSIX permissions there is
 * nothing to set or check.
 */
public final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFiles() {
    }

    /**
     * Creates {@code file}, which must not exist ({@link java.nio.file.FileAlreadyExistsException}), owner-only, with
     * {@code content}; with {@code force}, on the disk before this returns.
     */
    public static void createOwnerOnly(Path file, byte[] content, boolean force) throws IOException {
        FileAttribute<?>[] ownerOnly = Files.getFileStore(file.toAbsolutePath().getParent())
                .supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            if (force) {
                out.force(true);
            }
        }
    }

    /** The permissions that open {@code file} to its group or others; empty when there are none (or no POSIX). */
    public static Set<PosixFilePermission> openToOthers(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        if (posix != null) {
            open.addAll(posix.readAttributes().permissions());
            open.retainAll(GROUP_OR_OTHERS);
        }
        return open;
    }
}

package io.floorgate.gateway.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floorgate-gateway new-key --out FILE}: writes a new random database key to a file readable by its owner only
 * (created so, never widened and narrowed after), for {@code --db-key-file} or a systemd credential. It never replaces
 * a file: a key overwritten is a database lost.
 */
@Command(name = "new-key", mixinStandardHelpOptions = true,
        description = {"Writes a new random database key (32 bytes, base64) to a new file readable by its owner only."})
public final class NewKeyCommand implements Callable<Integer> {

    private static final int EXIT_REFUSED = 1;
    private static final int KEY_BYTES = 32;

    @Option(names = "--out", required = true, description = "The key file to create; it must not exist.")
    private Path out;

    private final PrintStream err;

    public NewKeyCommand() {
        this(System.err);
    }

    NewKeyCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        try {
            write(out, new SecureRandom());
        } catch (FileAlreadyExistsException e) {
            err.println(out + " exists already; a key is never overwritten (the database it opens would be lost)");
            return EXIT_REFUSED;
        }
        err.println("A new database key is in " + out + "; keep a copy where the data directory's backups are not.");
        return 0;
    }

    /** Creates {@code file} with a new key, readable by its owner only from its first byte. */
    public static void write(Path file, SecureRandom random) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        KeyFiles.createOwnerOnly(file, (Base64.getEncoder().encodeToString(key) + "\n")
                .getBytes(StandardCharsets.US_ASCII), false);
    }
}

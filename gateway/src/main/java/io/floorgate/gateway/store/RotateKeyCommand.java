package io.floorgate.gateway.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floorgate-gateway rotate-key}: re-encrypts a stopped gateway's database under a new key ({@link KeyRotation}),
 * or encrypts one kept in clear until now ({@code --from-unencrypted}). Keys come from files readable by their owner
 * only or from the environment, never from arguments, where {@code ps} and the shell's history would show them.
 */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = {"Re-encrypts a stopped gateway's database under a new key, or encrypts a database in clear.",
                "Keys: --old-key-file / --new-key-file, or the environment variables " + RotateKeyCommand.OLD_ENV
                        + " / " + RotateKeyCommand.NEW_ENV + ". Afterwards start the gateway with the new key."})
public final class RotateKeyCommand implements Callable<Integer> {

    static final String OLD_ENV = "FLOORGATE_DB_OLD_KEY";
    static final String NEW_ENV = "FLOORGATE_DB_NEW_KEY";
    private static final int EXIT_REFUSED = 1;

    @Option(names = "--data-dir", required = true, description = "The stopped gateway's data directory.")
    private Path dataDir;

    @Option(names = "--old-key-file", description = "The key the database is encrypted with now.")
    private Path oldKeyFile;

    @Option(names = "--from-unencrypted", description = "The database is in clear now: encrypt it (there is no old key).")
    private boolean fromUnencrypted;

    @Option(names = "--new-key-file", description = "The key to encrypt it with (make one with new-key).")
    private Path newKeyFile;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public RotateKeyCommand() {
        this(System.getenv(), System.out, System.err);
    }

    /** @param env the environment the keys may come from; a map in tests */
    public RotateKeyCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        try {
            KeySource keys = new KeySource(env);
            Optional<DatabaseKey> oldKey = keys.key(Optional.ofNullable(oldKeyFile), OLD_ENV);
            if (oldKey.isPresent() == fromUnencrypted) {
                throw new KeyRefused(fromUnencrypted ? "--from-unencrypted and an old key were both given: the"
                        + " database is either encrypted (give its key) or in clear (say --from-unencrypted)"
                        : "no old key: give the current key with --old-key-file or " + OLD_ENV
                        + ", or say --from-unencrypted for a database in clear");
            }
            DatabaseKey newKey = keys.key(Optional.ofNullable(newKeyFile), NEW_ENV).orElseThrow(() -> new KeyRefused(
                    "no new key: give it with --new-key-file or " + NEW_ENV + " (make one with: floorgate-gateway"
                            + " new-key --out FILE)"));
            int resealed = KeyRotation.rotate(dataDir, oldKey, newKey);
            out.println("The database in " + dataDir + " is encrypted with the key from " + newKey.source() + " ("
                    + resealed + " sealed value(s) resealed). Start the gateway with that key; backups made before stay "
                    + (oldKey.isPresent() ? "under the old key" : "in clear") + ".");
            return 0;
        } catch (KeyRefused e) {
            err.println("Not rotated: " + e.getMessage());
            return EXIT_REFUSED;
        }
    }
}

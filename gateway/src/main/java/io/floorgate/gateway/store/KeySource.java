package io.floorgate.gateway.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where the database key comes from; never from the data directory's database file. In order: a key file named on
 * the command line; the environment variable {@value #ENV}; the systemd credential {@value #CREDENTIAL}
 * ({@code LoadCredential=} or {@code LoadCredentialEncrypted=} in the unit, read from {@code $CREDENTIALS_DIRECTORY}).
 *
 * <p>A key file must be readable by its owner only: like ssh with a private key, a file that its group or others may
 * read or write is refused, since the key is then no longer the service user's alone.
 */
public final class KeySource {

    /** The key itself, as text. */
    public static final String ENV = "FLOORGATE_DB_KEY";
    /** The file name of the key in systemd's credentials directory. */
    public static final String CREDENTIAL = "floorgate-db-key";
    private static final String CREDENTIALS_DIRECTORY = "CREDENTIALS_DIRECTORY";

    private final Map<String, String> env;

    /** @param env the process environment ({@code System.getenv()}), a map in tests */
    public KeySource(Map<String, String> env) {
        this.env = env;
    }

    /** The gateway's key from the first source that gives one; empty when none does. */
    public Optional<DatabaseKey> gatewayKey(Optional<Path> keyFile) throws KeyRefused {
        Optional<DatabaseKey> key = key(keyFile, ENV);
        if (key.isPresent()) {
            return key;
        }
        String credentials = env.get(CREDENTIALS_DIRECTORY);
        if (credentials != null && Files.exists(Path.of(credentials, CREDENTIAL))) {
            return Optional.of(readFile(Path.of(credentials, CREDENTIAL)));
        }
        return Optional.empty();
    }

    /** A key from a file if one is named, else from the environment variable {@code envName} if it is set. */
    public Optional<DatabaseKey> key(Optional<Path> keyFile, String envName) throws KeyRefused {
        if (keyFile.isPresent()) {
            return Optional.of(readFile(keyFile.get()));
        }
        String text = env.get(envName);
        return text == null ? Optional.empty() : Optional.of(DatabaseKey.of(text, "the environment variable " + envName));
    }

    /** Whether any source the gateway would read gives a key, for refusing {@code --unencrypted} together with one. */
    public boolean anyGiven(Optional<Path> keyFile) {
        String credentials = env.get(CREDENTIALS_DIRECTORY);
        return keyFile.isPresent() || env.containsKey(ENV)
                || (credentials != null && Files.exists(Path.of(credentials, CREDENTIAL)));
    }

    static DatabaseKey readFile(Path file) throws KeyRefused {
        try {
            if (!KeyFiles.openToOthers(file).isEmpty()) {
                throw new KeyRefused("the database key file " + file + " is open to its group or others ("
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + "): it must be readable"
                        + " by its owner only; run: chmod 600 " + file);
            }
            return DatabaseKey.of(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new KeyRefused("the database key file " + file + " does not exist");
        } catch (IOException e) {
            throw new KeyRefused("the database key file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}

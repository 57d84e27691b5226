package io.floorgate.gateway.staff;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/**
 * {@code floorgate-gateway hash-password}: reads a password and prints the {@code passwordHash} line for a staff
 * account in the store file. The password is never an argument, where the shell's history and {@code ps} would show
 * it: on a terminal it is typed twice without echo; otherwise the first line of standard input is the password
 * (for scripts: {@code printf '%s\n' "$PW" | floorgate-gateway hash-password}).
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Reads a staff password (typed without echo, or the first line of standard input) and prints",
                "the passwordHash for the store file's staff: section (PBKDF2-HMAC-SHA256, 600,000 iterations)."})
public final class HashPasswordCommand implements Callable<Integer> {

    private static final int EXIT_REFUSED = 1;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Optional<Console> console;

    public HashPasswordCommand() {
        this(System.in, System.out, System.err, Optional.ofNullable(System.console()));
    }

    HashPasswordCommand(InputStream in, PrintStream out, PrintStream err, Optional<Console> console) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        Optional<String> password = console.isPresent() ? typed(console.get()) : firstLine();
        if (password.isEmpty()) {
            return EXIT_REFUSED;
        }
        int length = password.get().codePointCount(0, password.get().length());
        if (length < PasswordHasher.MIN_PASSWORD_LENGTH || password.get().length() > PasswordHasher.MAX_PASSWORD_LENGTH) {
            err.println("A staff password needs " + PasswordHasher.MIN_PASSWORD_LENGTH + " to "
                    + PasswordHasher.MAX_PASSWORD_LENGTH + " characters; this one has " + length + ".");
            return EXIT_REFUSED;
        }
        out.println(new PasswordHasher(new SecureRandom()).hash(password.get()).encoded());
        return 0;
    }

    private Optional<String> typed(Console terminal) {
        char[] first = terminal.readPassword("Password: ");
        char[] second = first == null ? null : terminal.readPassword("Repeat it: ");
        try {
            if (first == null || second == null) {
                err.println("No password was read.");
                return Optional.empty();
            }
            if (!Arrays.equals(first, second)) {
                err.println("The two passwords differ; nothing was hashed.");
                return Optional.empty();
            }
            return Optional.of(new String(first));
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** The first line, without its line break; nothing else is read. */
    private Optional<String> firstLine() throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            err.println("No password on standard input.");
        }
        return Optional.ofNullable(line);
    }
}

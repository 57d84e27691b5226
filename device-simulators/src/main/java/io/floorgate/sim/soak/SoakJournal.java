package io.floorgate.sim.soak;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The soak load's record of what the gateway acknowledged, one {@link Acknowledged} line each, appended and flushed
 * as each acknowledgement arrives, so that a reader at any moment (the crash-soak script, after a kill) finds every
 * acknowledgement received until then. Only the gateway is killed, never the load, so a flush to the operating
 * system is enough. Thread-safe: Paho's and the HTTP client's threads write to it.
 */
final class SoakJournal implements AutoCloseable {

    private final BufferedWriter out;

    SoakJournal(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    synchronized void record(Acknowledged write) {
        try {
            out.write(write.line());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the soak journal could not be written", e);
        }
    }

    /**
     * Every write the journal holds, each once (a step acknowledged again after a retry is one row). A last line cut
     * short by an append under way is left for the next read.
     */
    static Set<Acknowledged> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Set<Acknowledged> writes = new LinkedHashSet<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isEmpty()) {
                writes.add(Acknowledged.parse(line));
            }
        }
        return writes;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}

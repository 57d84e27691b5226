package io.floorgate.sim.play;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/** Writes ground truth as CSV: time (ISO-8601 UTC), shopper, zone, x, y. */
public final class TruthCsv implements Consumer<TruthRow>, AutoCloseable {

    private final BufferedWriter writer;

    public TruthCsv(Path file) throws IOException {
        writer = Files.newBufferedWriter(file);
        writer.write("time,shopper,zone,x,y\n");
    }

    @Override
    public void accept(TruthRow row) {
        try {
            writer.write(String.format(Locale.ROOT, "%s,%s,%s,%.2f,%.2f%n", Instant.ofEpochMilli(row.epochMs()),
                    row.shopperId(), row.zone(), row.x(), row.y()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}

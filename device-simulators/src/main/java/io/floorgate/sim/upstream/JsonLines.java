package io.floorgate.sim.upstream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.floorgate.proto.v1.UpstreamMessage;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the consumer received, one JSON object per line, in arrival order, duplicates included and marked:
 * <pre>
 * {"topic":"retail/acme/stores/s1/summaries","receivedAtMs":1764650000123,"receipt":"new","message":{...}}
 * {"topic":"retail/acme/stores/s1/status","receivedAtMs":1764650000456,"status":"online"}
 * {"topic":"retail/acme/stores/s1/events","receivedAtMs":1764650000789,"receipt":"invalid","error":"..."}
 * </pre>
 * {@code message} is the envelope in protobuf's canonical JSON mapping (lowerCamelCase names; 64-bit integers
 * such as {@code seq} are strings). Each line is flushed, so a {@code tail -f} sees it at once. Called on the
 * MQTT callback thread only.
 */
final class JsonLines implements AutoCloseable {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final BufferedWriter out;

    private JsonLines(BufferedWriter out) {
        this.out = out;
    }

    static JsonLines create(Path file) throws IOException {
        return new JsonLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    void message(String topic, long receivedAtMs, ChainTally.Receipt receipt, UpstreamMessage message) {
        try {
            write(line(topic, receivedAtMs).put("receipt", receipt.name().toLowerCase(Locale.ROOT))
                    .put("message", new JsonObject(PRINTER.print(message))));
        } catch (InvalidProtocolBufferException e) {
            // only for Any fields with unknown types, which the contract has none of
            throw new IllegalStateException(e);
        }
    }

    void status(String topic, long receivedAtMs, String status) {
        write(line(topic, receivedAtMs).put("status", status));
    }

    void invalid(String topic, long receivedAtMs, String error) {
        write(line(topic, receivedAtMs).put("receipt", "invalid").put("error", error));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static JsonObject line(String topic, long receivedAtMs) {
        return new JsonObject().put("topic", topic).put("receivedAtMs", receivedAtMs);
    }

    private void write(JsonObject line) {
        try {
            out.write(line.encode());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

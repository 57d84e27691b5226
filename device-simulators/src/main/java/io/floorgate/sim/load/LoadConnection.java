package io.floorgate.sim.load;

import io.floorgate.sim.wire.PublishEncoder;
import io.floorgate.sim.wire.RawMqttConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Publishes as fast as one connection allows: while the socket is writable, the QoS 1 window has
 * room and the rate (if any) allows, it encodes a batch of PUBLISH packets into one buffer and
 * writes it. Lives on its channel's event loop; the run reads its counters through {@link #snapshot}.
 */
final class LoadConnection implements RawMqttConnection.Handler {

    /** Packets encoded per write: large enough to amortize a syscall, small enough to let PUBACKs in between. */
    private static final int BATCH = 64;
    /** [MQTT-2.3.1-1]: packet ids are 1..65535. */
    private static final int MAX_PACKET_ID = 65_535;
    private static final long RATE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How far behind a fixed rate may fall and still catch up. */
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PublishEncoder encoder;
    private final int qos;
    private final int window;
    /** Messages per nanosecond for this connection; 0 = unlimited. */
    private final double ratePerNano;
    private final long[] sentAtNanos = new long[MAX_PACKET_ID + 1];
    private final LatencyHistogram latencies = new LatencyHistogram();

    private Channel channel;
    private long rateStartNanos;
    private long seq;
    private int packetId;
    private int inflight;
    private long sent;
    private long acked;
    private boolean running;
    private boolean recording;
    private long recordFromNanos;
    private boolean pumpQueued;

    LoadConnection(PublishEncoder encoder, int qos, int window, double ratePerSecond) {
        this.encoder = encoder;
        this.qos = qos;
        this.window = Math.min(window, MAX_PACKET_ID);
        this.ratePerNano = ratePerSecond / 1e9;
    }

    /** Runs on the event loop once the connection is up. */
    void start(RawMqttConnection connection) {
        channel = connection.channel();
        channel.eventLoop().execute(() -> {
            running = true;
            // a random phase within one message's period: connections at a fixed rate (receivers on a report
            // timer) then do not all publish in the same instant, as real devices' timers do not
            long periodNanos = ratePerNano == 0 ? 0 : (long) (1 / ratePerNano);
            long phaseNanos = periodNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(periodNanos);
            rateStartNanos = System.nanoTime() - phaseNanos;
            pump();
        });
    }

    /** Counts since the start, taken on the event loop; {@code record} switches latency recording on or off from now. */
    java.util.concurrent.Future<Counts> snapshot(boolean record) {
        return channel.eventLoop().submit(() -> {
            if (record && !recording) {
                recordFromNanos = System.nanoTime();
            }
            recording = record;
            return new Counts(sent, acked);
        });
    }

    java.util.concurrent.Future<LatencyHistogram> stop() {
        return channel.eventLoop().submit(() -> {
            running = false;
            recording = false;
            return latencies;
        });
    }

    @Override
    public void puback(int id) {
        long sentAt = sentAtNanos[id];
        inflight--;
        acked++;
        if (recording && sentAt >= recordFromNanos) {
            latencies.record((System.nanoTime() - sentAt) / 1_000);
        }
    }

    @Override
    public void canWrite() {
        pump();
    }

    @Override
    public void closed() {
        running = false;
    }

    private void pump() {
        if (!running || !channel.isWritable()) {
            return;
        }
        long now = System.nanoTime();
        long allowed = ratePerNano == 0 ? Long.MAX_VALUE : (long) ((now - rateStartNanos) * ratePerNano) - sent;
        long maxBacklog = Math.max(BATCH, (long) (ratePerNano * MAX_CATCH_UP_NANOS));
        if (allowed > maxBacklog) {
            // a fixed-rate run that fell behind (full window, slow acks) does not burst to catch up:
            // it forgets what it could not send, so the measured window holds the target rate
            rateStartNanos += (long) ((allowed - maxBacklog) / ratePerNano);
            allowed = maxBacklog;
        }
        int room = qos == 0 ? BATCH : Math.min(BATCH, window - inflight);
        int count = (int) Math.min(room, allowed);
        if (count > 0) {
            long observedAt = System.currentTimeMillis();
            ByteBuf out = channel.alloc().directBuffer(count * encoder.maxPacketSize());
            for (int i = 0; i < count; i++) {
                int id = 0;
                if (qos > 0) {
                    id = packetId = packetId == MAX_PACKET_ID ? 1 : packetId + 1;
                    sentAtNanos[id] = now;
                    inflight++;
                }
                encoder.write(out, id, ++seq, observedAt);
            }
            sent += count;
            channel.writeAndFlush(out, channel.voidPromise());
        }
        if (pumpQueued) {
            return;
        }
        if (count == BATCH && channel.isWritable()) {
            // go round the event loop before the next batch, so that PUBACKs are read in between
            pumpQueued = true;
            channel.eventLoop().execute(this::queuedPump);
        } else if (ratePerNano > 0 && allowed <= count) {
            // wake when the next message is due: at a report period of a second, not a thousand times before
            long dueInNanos = rateStartNanos + (long) ((sent + 1) / ratePerNano) - now;
            pumpQueued = true;
            channel.eventLoop().schedule(this::queuedPump, Math.max(RATE_RECHECK_NANOS, dueInNanos),
                    TimeUnit.NANOSECONDS);
        }
        // otherwise the window is full or the socket is not writable: a PUBACK or writability change resumes
    }

    private void queuedPump() {
        pumpQueued = false;
        pump();
    }

    /** Messages sent and acknowledged since the connection started. */
    record Counts(long sent, long acked) {
    }
}

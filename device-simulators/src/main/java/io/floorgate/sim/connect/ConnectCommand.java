package io.floorgate.sim.connect;

import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.proto.v1.Heartbeat;
import io.floorgate.sim.DurationConverter;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.Outbound;
import io.floorgate.sim.play.SimulatedDevice;
import io.floorgate.sim.wire.MqttFrames;
import io.floorgate.sim.wire.RawMqttClient;
import io.floorgate.sim.wire.RawMqttConnection;
import io.netty.channel.Channel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Holds many devices connected, for the heap benchmark: raw Netty connections (Paho would need three
 * threads per device), each with its last will, sending a heartbeat every 30 s.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Connect N devices of a store and keep them connected, with a heartbeat every 30 s.")
public final class ConnectCommand implements Callable<Integer> {

    private static final int KEEP_ALIVE_S = 120;
    /** Connections being set up at once: more only overflows the server's accept backlog. */
    private static final int CONNECTING_AT_ONCE = 200;
    private static final long HEARTBEAT_S = 30;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", description = "Store YAML; default: the demo store.")
    private Path config;

    @Option(names = "--gateway", defaultValue = "tcp://localhost:1883", description = "Default: ${DEFAULT-VALUE}.")
    private URI gateway;

    @Option(names = "--devices", description = "How many of the store's devices; default: all.")
    private Integer devices;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stay connected this long; default: until Ctrl-C.")
    private Duration duration;

    @Override
    public Integer call() throws Exception {
        StoreConfig store = StoreSource.load(config);
        List<Device> chosen = store.devices().stream().limit(devices == null ? Long.MAX_VALUE : devices).toList();
        Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch settled = new CountDownLatch(chosen.size());
        long start = System.nanoTime();
        try (RawMqttClient client = new RawMqttClient(gateway, 1)) {
            for (Device device : chosen) {
                connecting.acquire();
                String statusTopic = StoreSource.topic(store, device.id(), Outbound.STATUS);
                client.connect(device.id(), device.id(), device.secret(), KEEP_ALIVE_S,
                        new MqttFrames.Will(statusTopic, "offline"), new RawMqttConnection.Handler() { })
                        .whenComplete((connection, error) -> {
                            connecting.release();
                            if (error == null) {
                                connected.incrementAndGet();
                                heartbeats(store, device, connection.channel());
                            } else {
                                failed.incrementAndGet();
                            }
                            settled.countDown();
                        });
            }
            settled.await();
            spec.commandLine().getOut().printf("connected %d devices (%d failed) in %.1f s%n", connected.get(),
                    failed.get(), (System.nanoTime() - start) / 1e9);
            spec.commandLine().getOut().flush();
            if (duration == null) {
                Thread.currentThread().join();
            } else {
                Thread.sleep(duration.toMillis());
            }
        }
        return failed.get() == 0 ? 0 : 1;
    }

    /** A heartbeat now and every 30 s, spread at random over the interval so 10,000 devices do not send together. */
    private static void heartbeats(StoreConfig store, Device device, Channel channel) {
        SimulatedDevice firmware = new SimulatedDevice(device, System.currentTimeMillis(), ThreadLocalRandom.current());
        String topic = StoreSource.topic(store, device.id(), Outbound.HEALTH);
        long firstMs = ThreadLocalRandom.current().nextLong(TimeUnit.SECONDS.toMillis(HEARTBEAT_S));
        channel.eventLoop().scheduleAtFixedRate(() -> {
            if (channel.isActive()) {
                Heartbeat hb = firmware.heartbeat(System.currentTimeMillis());
                channel.writeAndFlush(MqttFrames.publish(channel.alloc(), topic, 0, 0, hb.toByteArray()));
            }
        }, firstMs, TimeUnit.SECONDS.toMillis(HEARTBEAT_S), TimeUnit.MILLISECONDS);
    }
}

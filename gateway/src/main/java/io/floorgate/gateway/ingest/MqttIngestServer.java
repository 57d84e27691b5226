package io.floorgate.gateway.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.floorgate.config.Device;
import io.floorgate.config.Limits;
import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.secrets.Secrets;
import io.floorgate.gateway.store.ReplayStateLoader;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttWill;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT server devices connect to: every socket passes the {@link ConnectionGate} (connection rate, cap,
 * guards around the decoder) before a byte is decoded; each CONNECT is authenticated against the device registry and
 * an accepted connection handed to a {@link DeviceConnection}. Refusals go through {@link Refusals}.
 *
 * <p>Threads: one MQTT server per event loop, all sharing the port, so connections spread over the
 * loops; the registry and device ledgers are shared and thread-safe. {@link #applyConfig} may be
 * called from any thread.
 */
public final class MqttIngestServer {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestServer.class);

    /**
     * The MQTT decoder refuses, before buffering it, any packet larger than this many times the
     * payload limit: room for the topic and headers while a payload just over the limit still
     * arrives whole, to be refused and counted without closing the connection.
     */
    private static final int PACKET_HEADROOM_FACTOR = 2;
    private static final int MAX_CLIENT_ID_LENGTH = 64;
    /** Sharing keys for "any free port": distinct, so the TLS servers never join the plain socket. */
    private static final int PLAIN_RANDOM_PORT_KEY = -1;
    private static final int TLS_RANDOM_PORT_KEY = -2;
    /**
     * Vert.x MQTT's own CONNECT timer restarts with every byte, so one byte a second keeps it off for ever; the
     * {@link ConnectionGuard}'s deadline is what holds. Vert.x's is set past the longest deadline a store may
     * configure, so it never closes a connection first (and uncounted).
     */
    private static final int VERTX_CONNECT_BACKSTOP_SECONDS = (int) Limits.MAX_CONNECT_TIMEOUT.toSeconds() + 1;
    private static final String VERTX_MQTT = "io.vertx.mqtt.";
    private static final String OUR_PACKAGES = "io.floorgate.";

    private final IngestServices services;
    private final ReplayStateLoader replayState;
    private final AtomicReference<DeviceRegistry> registry;
    private final Map<String, DeviceLedger> ledgers = new ConcurrentHashMap<>();
    private final List<String> deploymentIds = new ArrayList<>();
    private final CommandDispatcher commands;
    private final Refusals refusals;
    private final ConnectionGate gate;
    private volatile boolean accepting = true;

    public MqttIngestServer(StoreConfig config, IngestServices services, ReplayStateLoader replayState,
                            MeterRegistry metrics) {
        this.services = services;
        this.replayState = replayState;
        this.registry = new AtomicReference<>(DeviceRegistry.of(config));
        this.refusals = new Refusals(services.metrics());
        this.gate = new ConnectionGate(() -> registry.get().limits(), refusals);
        this.commands = new CommandDispatcher(services.vertx(), registry::get, this::commandChannel,
                System::currentTimeMillis, metrics);
    }

    /** Commands to the connected devices, and their answers. */
    public DeviceCommands commands() {
        return commands;
    }

    private CommandChannel commandChannel(String deviceId) {
        DeviceLedger ledger = ledgers.get(deviceId);
        DeviceConnection connection = ledger == null ? null : ledger.connection();
        return connection == null ? null : connection.commands();
    }

    /**
     * Listens for plain MQTT and, when configured, MQTT over TLS.
     *
     * @return the actual plain and TLS ports (TLS -1 when not configured)
     */
    public Future<int[]> listen(Listeners listeners) {
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Future<Integer> plain = listenOnEveryLoop(serverOptions(listeners.host(), listeners.mqttPort(), Optional.empty()),
                loops, PLAIN_RANDOM_PORT_KEY);
        Future<Integer> tls = listeners.tls()
                .map(t -> listenOnEveryLoop(serverOptions(listeners.host(), t.port(), Optional.of(t)), loops,
                        TLS_RANDOM_PORT_KEY))
                .orElse(Future.succeededFuture(-1));
        return Future.all(plain, tls).map(v -> new int[] {plain.result(), tls.result()});
    }

    private MqttServerOptions serverOptions(String host, int port, Optional<Listeners.Tls> tls) {
        MqttServerOptions options = new MqttServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxMessageSize(registry.get().limits().maxEventBytes() * PACKET_HEADROOM_FACTOR)
                .setMaxClientIdLength(MAX_CLIENT_ID_LENGTH)
                .setTimeoutOnConnect(VERTX_CONNECT_BACKSTOP_SECONDS);
        options.setTcpNoDelay(true);
        tls.ifPresent(t -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(t.certPath().toString()).setKeyPath(t.keyPath().toString())));
        return options;
    }

    /**
     * One server per event loop, sharing one listening socket so connections spread over the loops.
     * Vert.x shares a socket among servers asking for the same port; for "any free port" that takes a
     * negative port (servers asking for the same negative number share one random port), since
     * port 0 would give every server a port of its own.
     */
    private Future<Integer> listenOnEveryLoop(MqttServerOptions requested, int loops, int randomPortKey) {
        MqttServerOptions options = requested.getPort() == 0
                ? new MqttServerOptions(requested).setPort(randomPortKey) : requested;
        Set<Integer> boundPorts = ConcurrentHashMap.newKeySet();
        DeploymentOptions deployment = new DeploymentOptions().setInstances(loops)
                .setThreadingModel(ThreadingModel.EVENT_LOOP);
        return services.vertx().deployVerticle(() -> new ListenerVerticle(options, boundPorts), deployment)
                .compose(id -> {
                    synchronized (deploymentIds) {
                        deploymentIds.add(id);
                    }
                    if (boundPorts.size() != 1) {
                        return Future.failedFuture("MQTT listeners bound to different ports: " + boundPorts);
                    }
                    return Future.succeededFuture(boundPorts.iterator().next());
                });
    }

    /** One MQTT server on one event loop. */
    private final class ListenerVerticle extends AbstractVerticle {
        private final MqttServerOptions options;
        private final Set<Integer> boundPorts;

        ListenerVerticle(MqttServerOptions options, Set<Integer> boundPorts) {
            this.options = options;
            this.boundPorts = boundPorts;
        }

        @Override
        public void start(Promise<Void> started) {
            context.exceptionHandler(MqttIngestServer.this::onConnectionFailure);
            MqttServer.create(gate.gated(vertx, options.getMaxMessageSize()), options)
                    .endpointHandler(MqttIngestServer.this::onConnect)
                    .exceptionHandler(e -> LOG.debug("MQTT connection failed before CONNECT: {}", e.toString()))
                    .listen()
                    .onSuccess(server -> {
                        boundPorts.add(server.actualPort());
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    /**
     * An exception on a connection's event loop. Vert.x MQTT throws, instead of answering, at some protocol
     * violations (a packet before CONNECT [MQTT-3.1.0-1], a second CONNECT [MQTT-3.1.0-2], an unknown MQTT 5 reason
     * code); unhandled, Vert.x would log each at ERROR, as often as a client cares to send them. Those are refused
     * like any other hostile packet, through {@link Refusals}; Vert.x MQTT, the connect timeout or the client ends
     * such a connection. Anything thrown through our code is a bug and goes on to Vert.x's handler.
     */
    private void onConnectionFailure(Throwable failure) {
        if (thrownByVertxMqttAlone(failure)) {
            refusals.refuse(Rejection.PROTOCOL_VIOLATION, IngestMetrics.UNKNOWN_DEVICE, "an MQTT client",
                    failure.getMessage());
            return;
        }
        Handler<Throwable> unexpected = services.vertx().exceptionHandler();
        if (unexpected != null) {
            unexpected.handle(failure);
        } else {
            LOG.error("Unexpected failure on an MQTT connection", failure);
        }
    }

    /**
     * Thrown inside Vert.x MQTT and not called into by our code: the first frame outside Vert.x MQTT is not ours. Our
     * Netty guards ({@link ConnectionGuard}, {@link PacketSizeGuard}) pass every packet on, so they are further down
     * the stack of any failure Vert.x MQTT raises while decoding; a call of ours into an endpoint is right below it.
     */
    private static boolean thrownByVertxMqttAlone(Throwable failure) {
        StackTraceElement[] stack = failure.getStackTrace();
        if (!(failure instanceof IllegalArgumentException) || stack.length == 0
                || !stack[0].getClassName().startsWith(VERTX_MQTT)) {
            return false;
        }
        return Arrays.stream(stack).filter(frame -> !frame.getClassName().startsWith(VERTX_MQTT)).findFirst()
                .map(caller -> !caller.getClassName().startsWith(OUR_PACKAGES)).orElse(true);
    }

    private void onConnect(MqttEndpoint endpoint) {
        DeviceRegistry current = registry.get();
        String clientId = endpoint.clientIdentifier();
        MqttAuth auth = endpoint.auth();
        Device device = current.devices().get(clientId);
        Rejection refusal = null;
        if (!accepting || services.health().connectedCount() >= current.limits().maxDevicesConnected()) {
            refusal = Rejection.SERVER_BUSY;
        } else if (auth == null || !clientId.equals(auth.getUsername())) {
            refusal = Rejection.CLIENT_ID_MISMATCH;
        } else if (device == null) {
            refusal = Rejection.UNKNOWN_DEVICE;
        } else if (!Secrets.matches(auth.getPassword(), device.secret())) {
            refusal = Rejection.BAD_SECRET;
        } else if (!willIsOwnStatus(endpoint.will(), current.storeId(), device.id())) {
            refusal = Rejection.FOREIGN_WILL;
        }
        if (refusal != null) {
            String label = device == null ? IngestMetrics.UNKNOWN_DEVICE : device.id();
            refusals.refuse(refusal, label, endpoint.remoteAddress(), "CONNECT refused");
            endpoint.reject(refusal.connAckCode(endpoint.protocolVersion()));
            return;
        }
        DeviceLedger ledger = ledgers.computeIfAbsent(device.id(), id -> new DeviceLedger(
                current.limits().devicePublishRate(), current.limits().devicePublishBurst(), System.nanoTime()));
        Context context = services.vertx().getOrCreateContext();
        if (ledger.restored()) {
            admit(endpoint, device, ledger, context);
            return;
        }
        // After a gateway restart, the device's replay window comes back from H2 (a blocking query,
        // so on a worker) before CONNACK, so that nothing it re-sends can slip in twice. The client may
        // go away meanwhile; Vert.x MQTT throws at any use of a closed endpoint.
        AtomicBoolean gone = new AtomicBoolean();
        endpoint.closeHandler(v -> gone.set(true));
        services.vertx().executeBlocking(() -> replayState.latestBoot(device.id()))
                .onSuccess(stored -> {
                    ledger.restore(stored.bootId(), stored.seqs());
                    if (!gone.get()) {
                        admit(endpoint, device, ledger, context);
                    }
                })
                .onFailure(e -> {
                    LOG.warn("Could not restore device {}'s replay window: {}", device.id(), e.toString());
                    if (!gone.get()) {
                        endpoint.reject(Rejection.SERVER_BUSY.connAckCode(endpoint.protocolVersion()));
                    }
                });
    }

    /**
     * A device's will may only be its own status topic: the gateway reads the connection's end as the device going
     * offline, and a will elsewhere would be a message published in the name of another device.
     */
    private static boolean willIsOwnStatus(MqttWill will, String storeId, String deviceId) {
        return will == null || !will.isWillFlag()
                || DeviceTopic.of(storeId, deviceId, Channel.STATUS).equals(will.getWillTopic());
    }

    private void admit(MqttEndpoint endpoint, Device device, DeviceLedger ledger, Context context) {
        DeviceConnection connection = new DeviceConnection(endpoint, device, ledger, services, registry::get, context,
                () -> !accepting, commands, refusals);
        DeviceConnection previous = ledger.takeOver(connection);
        if (previous != null) {
            LOG.info("Device {} connected again; closing its previous connection", device.id());
            previous.closeFromAnyThread();
        }
        connection.accept();
    }

    /**
     * Swaps in a reloaded configuration. Connections of devices that were removed, whose secret
     * changed or whose kind changed are closed (they must authenticate again); every other
     * connection stays open. New limits apply to every device at once.
     */
    public void applyConfig(StoreConfig config) {
        DeviceRegistry next = DeviceRegistry.of(config);
        DeviceRegistry previous = registry.getAndSet(next);
        ledgers.forEach((id, ledger) -> {
            Device before = previous.devices().get(id);
            Device after = next.devices().get(id);
            boolean stillValid = after != null && before != null && after.kind() == before.kind()
                    && Objects.equals(after.secret(), before.secret());
            if (!stillValid) {
                DeviceConnection connection = ledger.connection();
                if (connection != null) {
                    LOG.info("Device {} {}; closing its connection", id, after == null ? "was removed" : "changed");
                    connection.closeFromAnyThread();
                }
                if (after == null) {
                    ledgers.remove(id);
                    services.health().forget(id);
                    commands.forgetDevice(id);
                }
            }
            ledger.bucket().reconfigure(next.limits().devicePublishRate(), next.limits().devicePublishBurst());
        });
    }

    /**
     * Refuses new connections from now on (CONNACK server unavailable) and stops taking messages on
     * open ones, so that a drain of the committer leaves nothing stored but unacknowledged.
     */
    public void stopAccepting() {
        accepting = false;
    }

    /** Closes every listener and connection. */
    public Future<Void> close() {
        List<String> ids;
        synchronized (deploymentIds) {
            ids = List.copyOf(deploymentIds);
            deploymentIds.clear();
        }
        return Future.all(ids.stream().map(id -> services.vertx().undeploy(id)).toList()).mapEmpty();
    }
}

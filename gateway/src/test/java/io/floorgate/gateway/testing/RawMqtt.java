package io.floorgate.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 packets as raw bytes, written at a plain socket: what a hostile or broken client sends, byte for byte,
 * with nothing of a client library in between.
 */
public final class RawMqtt implements AutoCloseable {

    public static final int CONNACK = 2;
    public static final int PUBACK = 4;
    public static final int SUBACK = 9;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;

    private RawMqtt(Socket socket) {
        this.socket = socket;
    }

    /** A socket to the gateway's MQTT port from {@code fromAddress} (any 127.x.y.z is loopback on Linux). */
    public static RawMqtt open(RunningGateway gw, String fromAddress) throws IOException {
        return open(gw, fromAddress, 0);
    }

    /** @param receiveBuffer the socket's receive buffer, bytes; 0 for the system's default */
    public static RawMqtt open(RunningGateway gw, String fromAddress, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.bind(new InetSocketAddress(fromAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gw.gateway().mqttPort()));
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return new RawMqtt(socket);
    }

    /** Opens a socket from 127.0.0.1, sends the device's CONNECT and checks the CONNACK accepts it. */
    public static RawMqtt connected(RunningGateway gw, String deviceId) throws IOException {
        RawMqtt client = open(gw, "127.0.0.1");
        client.send(connect(deviceId, deviceId, TestStore.secretOf(deviceId), 60, null));
        int[] connAck = client.read();
        if (connAck[0] != CONNACK || connAck[2] != 0) {
            throw new IllegalStateException(deviceId + " was not accepted: " + java.util.Arrays.toString(connAck));
        }
        return client;
    }

    public Socket socket() {
        return socket;
    }

    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * The next packet: its type, then its remaining bytes, each as an int; an empty array when the gateway closed the
     * connection instead.
     */
    public int[] read() throws IOException {
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first < 0) {
            return new int[0];
        }
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0) {
                return new int[0];
            }
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[length];
        new DataInputStream(in).readFully(body);
        int[] packet = new int[length + 1];
        packet[0] = first >> 4;
        for (int i = 0; i < length; i++) {
            packet[i + 1] = body[i] & 0xFF;
        }
        return packet;
    }

    /** Whether the gateway closed the connection: reads, skipping packets, until the end of the stream or the timeout. */
    public boolean closedByGateway() {
        try {
            while (read().length > 0) {
                // skip whatever the gateway still sent before closing
            }
            return true;
        } catch (IOException e) {
            // a reset is the gateway closing too; a timeout is not
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** CONNECT, clean session, with a user name and password; {@code willTopic} null for no will. */
    public static byte[] connect(String clientId, String user, String password, int keepAliveSeconds,
                                 String willTopic) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        writeString(variable, "MQTT".getBytes(StandardCharsets.UTF_8));
        variable.write(4); // protocol level 4: MQTT 3.1.1
        int flags = 0x80 | 0x40 | 0x02 | (willTopic == null ? 0 : 0x04 | 0x08); // user, password, clean; will QoS 1
        variable.write(flags);
        variable.write(keepAliveSeconds >> 8);
        variable.write(keepAliveSeconds & 0xFF);
        writeString(variable, clientId.getBytes(StandardCharsets.UTF_8));
        if (willTopic != null) {
            writeString(variable, willTopic.getBytes(StandardCharsets.UTF_8));
            writeString(variable, "offline".getBytes(StandardCharsets.UTF_8));
        }
        writeString(variable, user.getBytes(StandardCharsets.UTF_8));
        writeString(variable, password.getBytes(StandardCharsets.UTF_8));
        return packet(0x10, variable.toByteArray());
    }

    /** PUBLISH with the topic's bytes as given (they need not be UTF-8); packet id 1 for QoS 1 and 2. */
    public static byte[] publish(byte[] topic, int qos, byte[] payload) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        writeString(variable, topic);
        if (qos > 0) {
            variable.write(0);
            variable.write(1);
        }
        variable.writeBytes(payload);
        return packet(0x30 | qos << 1, variable.toByteArray());
    }

    /** SUBSCRIBE to each topic filter at QoS 1, packet id 1. */
    public static byte[] subscribe(String... filters) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.write(0);
        variable.write(1);
        for (String filter : filters) {
            writeString(variable, filter.getBytes(StandardCharsets.UTF_8));
            variable.write(1);
        }
        return packet(0x82, variable.toByteArray());
    }

    public static byte[] pingReq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    /** A fixed header alone, announcing {@code remainingLength} bytes that never follow. */
    public static byte[] header(int typeAndFlags, int remainingLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(typeAndFlags);
        writeLength(out, remainingLength);
        return out.toByteArray();
    }

    private static byte[] packet(int typeAndFlags, byte[] variable) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(typeAndFlags, variable.length));
        out.writeBytes(variable);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        int rest = length;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            out.write(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
    }

    private static void writeString(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}

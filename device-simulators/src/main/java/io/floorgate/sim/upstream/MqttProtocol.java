package io.floorgate.sim.upstream;

import java.util.Locale;
import picocli.CommandLine;

/** Which Paho client talks to the broker: MQTT 5 (the default) or 3.1.1 for older brokers. */
public enum MqttProtocol {
    MQTT5, MQTT3;

    /** Spelled as on the command line and in the store file's upstream.protocol: mqtt5, mqtt3. */
    public static final class Converter implements CommandLine.ITypeConverter<MqttProtocol> {
        @Override
        public MqttProtocol convert(String value) {
            try {
                return MqttProtocol.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not mqtt5 or mqtt3");
            }
        }
    }
}

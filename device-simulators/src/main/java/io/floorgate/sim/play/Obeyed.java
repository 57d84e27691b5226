package io.floorgate.sim.play;

/**
 * What a simulated device did with one command.
 *
 * @param line   one line for the player's output, e.g. "ble-2: identify for 10 s"
 * @param answer its CommandResult, to publish at once, or after the reboot when {@code reboot}
 * @param reboot the device restarts: disconnect, pause, reconnect, then answer from its new boot
 */
public record Obeyed(String line, Outbound answer, boolean reboot) {
}

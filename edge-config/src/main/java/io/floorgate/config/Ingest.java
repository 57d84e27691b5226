package io.floorgate.config;

import java.time.Duration;

/**
 * Group commit of QoS 1 events.
 *
 * @param commitInterval longest an event waits for its batch to be committed; 1 ms .. 1 s
 * @param commitMaxBatch events that close a batch early; 1..100000
 * @param queueCapacity  events waiting for commit before publishers get back-pressure; >= commitMaxBatch
 */
public record Ingest(Duration commitInterval, int commitMaxBatch, int queueCapacity) {
}

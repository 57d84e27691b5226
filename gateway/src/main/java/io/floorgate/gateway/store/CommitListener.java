package io.floorgate.gateway.store;

/** Told what became of a write: the place where a QoS 1 PUBACK is finally sent, or withheld. */
public interface CommitListener {

    /** The write is committed to H2 (and synced, when so configured). */
    void committed();

    /** The write could not be committed after retries; it was not stored and must not be acknowledged. */
    void failed(Exception cause);
}

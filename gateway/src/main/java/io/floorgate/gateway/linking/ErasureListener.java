package io.floorgate.gateway.linking;

import java.util.Set;

import io.vertx.core.Future;

/**
 * A stage that holds live state about shoppers, told that a customer's data is being erased (privacy/CustomerRequests).
 * Called on any thread; must not block.
 */
public interface ErasureListener {

    /**
     * Drops whatever the stage holds about the customer or these sessions (ended just before, see
     * {@link SessionRegistry#remove}). Completes on the stage's own context once done: whatever the stage queued for
     * them before has reached the group committer, and it queues nothing for them after, so the erasure's transaction,
     * queued next, is the last word about them.
     */
    Future<Void> erase(Customer customer, Set<String> sessionIds);
}

package io.floorgate.gateway.privacy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.linking.ErasureListener;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.staff.StaffSession;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.gateway.upstream.LiveEvents;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A customer's requests about their data (GDPR articles 15 and 17, CCPA), made for them by an admin: the export of
 * everything held about a customer reference, and its erasure. Both are audited before they are done.
 *
 * <p>An erasure, in order: the customer's open sessions end at once ({@link SessionRegistry#remove}); every stage that
 * holds shoppers live forgets them and says when it has ({@link ErasureListener}), so nothing it writes about them can
 * come after; then one transaction through the group committer records the erasure, removes the rows
 * ({@link ErasureRows}), queues the erasure notice for the chain and writes the audit entry. The answer comes once that
 * is committed.
 *
 * <p>Threads: called on an event loop; reads run on workers, writes through the group committer.
 */
public final class CustomerRequests {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerRequests.class);
    private static final int SALT_BYTES = 16;

    private final Vertx vertx;
    private final CustomerKeys keys;
    private final SessionRegistry sessions;
    private final List<ErasureListener> stages;
    private final GroupCommitter committer;
    private final CustomerRecords records;
    private final AuditLog audit;
    private final LiveEvents events;
    private final LongSupplier clockMs;
    private final SecureRandom random = new SecureRandom();

    /** @param stages every stage holding shoppers live (location, pickup, summary) */
    public CustomerRequests(Vertx vertx, CustomerKeys keys, SessionRegistry sessions, List<ErasureListener> stages,
                            GroupCommitter committer, CustomerRecords records, AuditLog audit, LiveEvents events,
                            LongSupplier clockMs) {
        this.vertx = vertx;
        this.keys = keys;
        this.sessions = sessions;
        this.stages = List.copyOf(stages);
        this.committer = committer;
        this.records = records;
        this.audit = audit;
        this.events = events;
        this.clockMs = clockMs;
    }

    /** Everything held about the reference, once the export is in the audit log. */
    public Future<JsonObject> export(String reference, StaffSession staff) {
        CustomerHash customer = keys.hash(reference);
        return audit.record(audit.entry(staff, AuditAction.CUSTOMER_EXPORT, Optional.of(customer),
                        "export of everything held about the customer"))
                .compose(v -> vertx.executeBlocking(() -> records.export(customer), false))
                .map(export -> export.put("exportedAt", Instant.ofEpochMilli(clockMs.getAsLong()).toString()));
    }

    /** Erases the reference's data; answers with the erasure record once it is committed. */
    public Future<JsonObject> erase(String reference, StaffSession staff) {
        // The stages complete their part on their own contexts: everything after them comes back to the caller's.
        Context caller = Vertx.currentContext();
        Customer customer = keys.customer(reference);
        Set<String> ended = sessions.remove(customer.hash());
        List<Future<Void>> forgotten = new ArrayList<>();
        stages.forEach(stage -> forgotten.add(stage.erase(customer, ended)));
        return Future.all(forgotten)
                .compose(v -> caller.executeBlocking(() -> records.orderIds(customer.hash()), false))
                .compose(orderIds -> {
                    long atMs = clockMs.getAsLong();
                    byte[] salt = new byte[SALT_BYTES];
                    random.nextBytes(salt);
                    List<StoreWrite> writes = new ArrayList<>(ErasureRows.of(customer.hash(), staff.accountId(), atMs,
                            HexFormat.of().formatHex(salt)));
                    writes.add(events.erasure(reference, orderIds, atMs));
                    writes.add(audit.entry(staff, AuditAction.CUSTOMER_ERASURE, Optional.of(customer.hash()),
                            ended.size() + " open session(s) ended, " + orderIds.size() + " order(s) anonymized"));
                    return AuditLog.commit(writes, committer, caller);
                })
                .compose(v -> caller.executeBlocking(() -> records.lastErasure(customer.hash()), false))
                .onSuccess(erasure -> LOG.info("Customer {} erased by {}: {}", customer.hash().label(),
                        staff.accountId(), erasure.getJsonObject("rows").encode()));
    }
}

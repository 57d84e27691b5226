package io.floorgate.gateway.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.secrets.Secrets;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.KeyFiles;
import io.floorgate.gateway.store.SchemaStep;
import io.floorgate.gateway.upstream.Pseudonyms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a customer reference into what the gateway keeps of it: the local keyed hash that stored rows are matched on
 * ({@link CustomerHash}) and the upstream pseudonym the chain knows the customer by. The reference itself is never
 * stored.
 *
 * <p>The local key is not the store's {@code upstream.hashKey}: the hashes at rest must not be the values the chain
 * holds (a copy of the database would join with the chain's data), and they must outlive a change of the upstream key.
 * It is 32 random bytes generated at first start into {@value #KEY_FILE} in the data directory, readable only by the
 * gateway's user: no operator has to invent or configure it, it is never in the store file (which is copied between
 * stores), two stores never hash a customer alike, and it travels with the database it belongs to. A fingerprint in the
 * database ({@code customer_key_check}) makes a lost or replaced key file a refusal at start: with another key every
 * stored hash would silently stop matching, and a customer's data could no longer be exported or erased.
 *
 * <p>Threads: {@link #load} and {@link #verify} block (worker, at start); the hashing methods are thread-safe and cheap
 * enough for an event loop (two HMACs).
 */
public final class CustomerKeys {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerKeys.class);

    public static final String KEY_FILE = "customer-hash.key";
    private static final int KEY_BYTES = 32;
    /** The database version whose script adds the hash columns (V7); its Java step hashes what was stored before. */
    private static final int HASHING_VERSION = 7;
    private static final byte[] FINGERPRINT_LABEL = "floorgate-customer-key-check-v1".getBytes(StandardCharsets.US_ASCII);
    private static final String INSERT_FINGERPRINT = "INSERT INTO customer_key_check (fingerprint) VALUES (?)";

    private final Path keyFile;
    private final Pseudonyms upstream;
    private volatile Pseudonyms local;
    private volatile byte[] fingerprint;
    /** Whether this start created the key file: only a database migrated by this start may accept a new key. */
    private volatile boolean created;

    /** @param upstream the store's upstream pseudonyms, keyed once at start */
    public CustomerKeys(Path dataDir, Pseudonyms upstream) {
        this.keyFile = dataDir.resolve(KEY_FILE);
        this.upstream = upstream;
    }

    /** The customer a session is checked in as. */
    public Customer customer(String reference) {
        return new Customer(hash(reference), upstream.customer(reference));
    }

    /** The keyed hash stored rows are matched on. */
    public CustomerHash hash(String reference) {
        Pseudonyms key = local;
        if (key == null) {
            throw new IllegalStateException("the customer key is not loaded yet");
        }
        return new CustomerHash(key.customer(reference));
    }

    /**
     * The V7 step: hashes the customer references stored in clear before (the script drops them), keeps the upstream
     * pseudonym of the sessions still open, and records the key's fingerprint. On a new database there is nothing to
     * hash and the fingerprint of the key just created is recorded.
     */
    public SchemaStep migration() {
        return new SchemaStep() {
            @Override
            public int version() {
                return HASHING_VERSION;
            }

            @Override
            public void migrate(Connection connection, SchemaStep.Script script) throws SQLException {
                load();
                hashStoredReferences(connection, script);
            }
        };
    }

    /**
     * Loads the key, creating it when there is none (only a database being migrated now may get a new key: see
     * {@link #verify}). Blocking.
     */
    public synchronized void load() {
        if (local != null) {
            return;
        }
        byte[] key;
        try {
            key = read();
        } catch (NoSuchFileException e) {
            key = create();
            created = true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the customer key " + keyFile + ": " + e.getMessage(), e);
        }
        fingerprint = fingerprintOf(key);
        local = new Pseudonyms(key);
    }

    /**
     * Checks at start that the key is the one the database's hashes were made with; throws, and the gateway does not
     * start, when the key file is missing or another. Blocking.
     */
    public void verify(Database database) throws SQLException {
        byte[] recorded;
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT fingerprint FROM customer_key_check")) {
            recorded = rs.next() ? rs.getBytes(1) : null;
        }
        if (recorded == null) {
            // Migrated without this step (a tool's or a test's bare Database.open): no gateway has hashed a customer
            // into it yet, since a gateway's V7 records the fingerprint, so any key may be its key from now on.
            load();
            try (Connection c = database.connect();
                 PreparedStatement st = c.prepareStatement(INSERT_FINGERPRINT)) {
                st.setBytes(1, fingerprint);
                st.executeUpdate();
            }
            return;
        }
        if (local == null && !Files.exists(keyFile)) {
            throw new IllegalStateException("the customer key " + keyFile + " is missing, but this database's"
                    + " customer references were hashed with it. Restore the key file that belongs to this data"
                    + " directory (from its backup); with a new key no stored customer could be matched, exported or"
                    + " erased");
        }
        load();
        if (!MessageDigest.isEqual(recorded, fingerprint)) {
            throw new IllegalStateException("the customer key " + keyFile + " is not the one this database's customer"
                    + " references were hashed with" + (created ? " (it was missing and a new one was made)" : "")
                    + ". Restore the key file that belongs to this data directory (from its backup)");
        }
    }

    private byte[] read() throws IOException {
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("the customer key " + keyFile + " holds " + key.length + " bytes, not "
                    + KEY_BYTES + "; it is damaged. Restore it from the backup of this data directory");
        }
        if (!KeyFiles.openToOthers(keyFile).isEmpty()) {
            LOG.warn("The customer key {} is readable by others than the gateway's user; chmod 600 it", keyFile);
        }
        return key;
    }

    /** 32 random bytes into a new file only the gateway's user can read, forced to the disk before any hash is made. */
    private byte[] create() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(keyFile.getParent());
            KeyFiles.createOwnerOnly(keyFile, key, true);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("the customer key " + keyFile + " appeared while it was being created");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the customer key " + keyFile + ": " + e.getMessage(), e);
        }
        LOG.info("Created the customer key {}: back it up with the database, which cannot be matched without it",
                keyFile);
        return key;
    }

    /** The clear references stored before V7, read before its script drops them, hashed and written back after. */
    private void hashStoredReferences(Connection c, SchemaStep.Script script) throws SQLException {
        Map<String, Customer> sessions = new LinkedHashMap<>();
        Set<String> open = new HashSet<>();
        try (Statement select = c.createStatement();
             ResultSet rs = select.executeQuery("SELECT id, customer_ref, ended_at IS NULL FROM shopper_session"
                     + " WHERE customer_ref IS NOT NULL")) {
            while (rs.next()) {
                sessions.put(rs.getString(1), customer(rs.getString(2)));
                if (rs.getBoolean(3)) {
                    open.add(rs.getString(1));
                }
            }
        }
        Map<String, CustomerHash> orders = new LinkedHashMap<>();
        try (Statement select = c.createStatement();
             ResultSet rs = select.executeQuery("SELECT order_id, customer_ref FROM pickup_order")) {
            while (rs.next()) {
                orders.put(rs.getString(1), hash(rs.getString(2)));
            }
        }
        script.run();
        try (PreparedStatement update = c.prepareStatement("UPDATE shopper_session SET customer_hash = ?,"
                + " customer_pseudonym = ? WHERE id = ?")) {
            for (Map.Entry<String, Customer> session : sessions.entrySet()) {
                update.setBytes(1, session.getValue().hash().bytes());
                // Only an open session keeps the pseudonym (see Customer).
                update.setBytes(2, open.contains(session.getKey())
                        ? session.getValue().pseudonym().toByteArray() : null);
                update.setString(3, session.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE pickup_order SET customer_hash = ?"
                + " WHERE order_id = ?")) {
            for (Map.Entry<String, CustomerHash> order : orders.entrySet()) {
                update.setBytes(1, order.getValue().bytes());
                update.setString(2, order.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
        try (PreparedStatement check = c.prepareStatement(INSERT_FINGERPRINT)) {
            check.setBytes(1, fingerprint);
            check.executeUpdate();
        }
        if (!sessions.isEmpty() || !orders.isEmpty()) {
            LOG.info("Hashed the customer references of {} session(s) and {} order(s) stored in clear",
                    sessions.size(), orders.size());
        }
    }

    private static byte[] fingerprintOf(byte[] key) {
        return Secrets.sha256(FINGERPRINT_LABEL, key);
    }
}

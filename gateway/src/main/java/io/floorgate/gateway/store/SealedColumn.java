package io.floorgate.gateway.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The columns whose values are sealed ({@link Sealer}): secrets that a copy of the rows (a SQL export, a console, a
 * decrypted file) must not give away. Each value is bound to its column and row, so that one cannot be moved to
 * another row. Key rotation reseals every column listed here.
 *
 * @param table    the table
 * @param idColumn the column naming the row, bound into the seal
 * @param column   the sealed column
 */
public record SealedColumn(String table, String idColumn, String column) {

    /**
     * A shopper session's advertising key: with it, the app's rotating BLE ids and touch tokens are recognisable (they
     * are HMACs under it); only open sessions keep one (V8 clears it at the session's end).
     */
    public static final SealedColumn ADVERTISING_KEY = new SealedColumn("shopper_session", "id", "advertising_key");

    /** Every sealed column, for key rotation. */
    public static final List<SealedColumn> ALL = List.of(ADVERTISING_KEY);

    byte[] associatedData(String rowId) {
        return (table + "." + column + "/" + rowId).getBytes(StandardCharsets.UTF_8);
    }
}

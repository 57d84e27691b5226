package io.floorgate.gateway.ingest;

/** Why a payload was refused: the counted reason and a detail for the debug log. */
record Invalid(Rejection reason, String detail) {
}

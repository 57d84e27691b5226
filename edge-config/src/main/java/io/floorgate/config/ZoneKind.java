package io.floorgate.config;

/** What a zone is for; YAML spells these in lower case with dashes (fitting-room). */
public enum ZoneKind {
    ENTRANCE, AISLE, FITTING_ROOM, PICKUP, CHECKOUT, SERVICE, STOCKROOM, OTHER
}

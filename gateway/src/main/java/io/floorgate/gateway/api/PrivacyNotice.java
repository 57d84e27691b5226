package io.floorgate.gateway.api;

import java.time.Duration;
import java.util.Locale;

import io.floorgate.config.Retention;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Upstream;
import io.floorgate.gateway.linking.Consent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What {@code GET /api/v1/privacy} says, for the app to show: what the store collects, why and for how long, the
 * consents and what each enables, and how to ask for access or erasure. Built from the configuration in force at each
 * request, so the periods are the retention that is enforced, a reload included. The texts are plain English for
 * people; an app that translates them keys on {@code data} and {@code consent}, and shows the periods from
 * {@code seconds}.
 */
final class PrivacyNotice {

    static final String ACCESS_ROUTE = ApiRouter.PREFIX + "/privacy/customers/{customerRef}";
    static final String CONSENT_ROUTE = ApiRouter.PREFIX + "/sessions/{sessionId}/consent";

    private PrivacyNotice() {
    }

    static JsonObject of(StoreConfig store) {
        Retention retention = store.retention();
        Sessions sessions = store.sessions();
        Upstream upstream = store.upstream();
        JsonArray collected = new JsonArray()
                .add(collected("session",
                        "Your check-in: the app installation's id, your customer reference if you gave one, your"
                                + " consents, the key your phone's rotating Bluetooth ids are made from, and when you"
                                + " checked in, were last active and left.",
                        "To recognise your phone's rotating ids, answer the app, and link your pickup orders to you.",
                        "While you are checked in (a session ends after " + text(sessions.inactivityTimeout())
                                + " without the app), then " + text(retention.sessions()) + ".",
                        retention.sessions(), null))
                .add(collected("zone_visits",
                        "Which zone of the store you were in, from when to when. Never raw Bluetooth sightings.",
                        "Directions in the store, noticing you at the pickup counter, and how busy each zone is.",
                        text(retention.zoneVisits()) + " from when you entered the zone.",
                        retention.zoneVisits(), Consent.LOCATION))
                .add(collected("touches",
                        "Your NFC taps and kiosk scans with your app's code, product look-ups at the kiosk you scanned"
                                + " at, and your kiosk feedback if you consented to analytics; the zone only with"
                                + " location consent.",
                        "To hand over pickup orders, show the kiosk's answers in your app, and relate feedback to"
                                + " the visit.",
                        text(retention.touches()) + ".", retention.touches(), null))
                .add(collected("orders",
                        "Your pickup orders as the order system sent them (order id, customer reference, pickup"
                                + " point, collection code) and each step with its time.",
                        "To have your order ready, notice your arrival, and measure waiting times.",
                        text(retention.orders()) + " from when the order was ready.", retention.orders(), null))
                .add(collected("device_events",
                        "What the store's devices report, among them the NFC taps and kiosk interactions above.",
                        "To keep the store's devices working and acknowledge what they send.",
                        text(retention.deviceEvents()) + ".", retention.deviceEvents(), null))
                .add(collected("upstream_summaries",
                        "Every " + text(upstream.summaryWindow()) + ", a summary for the retail chain: counts per"
                                + " zone, pickups and kiosks; and, with analytics consent only, a record of your visit"
                                + " under a keyed hash, never your reference or ids in clear.",
                        "The chain's view of how its stores are doing.",
                        upstream.brokerUri().isPresent()
                                ? "Until the chain's broker has it, at most " + text(upstream.outboxMaxAge()) + "."
                                : "This store sends nothing upstream; summaries wait at most "
                                        + text(upstream.outboxMaxAge()) + " and are dropped.",
                        upstream.outboxMaxAge(), null));
        JsonArray consents = new JsonArray();
        for (Consent consent : Consent.values()) {
            consents.add(consent(consent, sessions));
        }
        return new JsonObject()
                .put("store", new JsonObject().put("id", store.storeId()).put("name", store.name()))
                .put("collected", collected)
                .put("notCollected", new JsonArray()
                        .add("Bluetooth ids of phones not checked in, or checked in without location consent: they"
                                + " count only as a number per zone, and nothing is kept per id.")
                        .add("Raw Bluetooth sightings: only the zone visits they mean, with location consent."))
                .put("consents", consents)
                .put("changeConsent", "The app gives or withdraws each consent at any time during your visit: PATCH "
                        + CONSENT_ROUTE + " with, for example, {\"location\": false}.")
                .put("requests", new JsonObject()
                        .put("how", "Ask the store's staff with your customer reference; a store administrator"
                                + " exports or erases everything the store holds about it.")
                        .put("access", new JsonObject().put("route", "GET " + ACCESS_ROUTE)
                                .put("text", "Export: every session, zone visit, touch, order and its steps, and"
                                        + " kiosk feedback held for your customer reference, as one JSON document."))
                        .put("erasure", new JsonObject().put("route", "DELETE " + ACCESS_ROUTE)
                                .put("text", "Erasure: all of it deleted or anonymized at once, and the chain told"
                                        + " (by keyed hash, never your reference) to erase its copies."))
                        .put("who", "A store administrator (staff role admin); the request is recorded, without your"
                                + " data."));
    }

    private static JsonObject collected(String data, String what, String why, String kept, Duration keptFor,
                                        Consent onlyWith) {
        JsonObject item = new JsonObject().put("data", data).put("what", what).put("why", why)
                .put("kept", new JsonObject().put("text", kept).put("seconds", keptFor.toSeconds()));
        if (onlyWith != null) {
            item.put("onlyWithConsent", onlyWith.field());
        }
        return item;
    }

    private static JsonObject consent(Consent consent, Sessions sessions) {
        JsonObject item = new JsonObject().put("consent", consent.field());
        return switch (consent) {
            case LOCATION -> item
                    .put("enables", "Your phone's rotating Bluetooth ids are recognised, so the store knows which"
                            + " zone you are in: directions from where you are, being noticed at the pickup counter,"
                            + " and your zone visits stored.")
                    .put("without", "You count only as a number in a zone; no zone is stored for you, and your"
                            + " location is not available to the app.")
                    .put("onWithdrawal", "Locating stops at once, and the zone visits already stored for this"
                            + " visit are " + switch (sessions.onLocationWithdrawn()) {
                                case DELETE -> "deleted";
                                case ANONYMIZE -> "kept only under a random id that leads to no one, for the"
                                        + " store's footfall figures";
                            } + "; the zone is cleared from your taps and scans.")
                    .put("onLocationWithdrawn", sessions.onLocationWithdrawn().name().toLowerCase(Locale.ROOT));
            case ANALYTICS -> item
                    .put("enables", "A record of your visit (time per zone, kiosk use, pickups) in the summaries"
                            + " sent to the retail chain, under a keyed hash; your kiosk feedback linked to your"
                            + " visit.")
                    .put("without", "You count only in totals; your feedback stays anonymous.")
                    .put("onWithdrawal", "Your record leaves the summary in progress at once; no later summary"
                            + " holds one. Summaries already sent stay as they were.");
        };
    }

    /** "30 days", "12 hours", "90 minutes", "45 seconds": the largest unit the period is a whole number of. */
    static String text(Duration period) {
        long seconds = period.toSeconds();
        if (seconds % Duration.ofDays(1).toSeconds() == 0) {
            return plural(period.toDays(), "day");
        }
        if (seconds % Duration.ofHours(1).toSeconds() == 0) {
            return plural(period.toHours(), "hour");
        }
        if (seconds % Duration.ofMinutes(1).toSeconds() == 0) {
            return plural(period.toMinutes(), "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}

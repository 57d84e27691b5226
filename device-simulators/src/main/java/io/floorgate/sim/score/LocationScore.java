package io.floorgate.sim.score;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What a score run measured: the gateway's location answers against the ground truth.
 *
 * @param shopperSeconds      polls of consenting shoppers while the truth knows where they were
 * @param rightZoneShare      share of those in the true zone
 * @param unknownShare        share answered location_unknown
 * @param settlingShare       share in a wrong zone within {@link LocationScorer#SETTLING_MS} of entering the true
 *                            one: the part of the error that is detection delay rather than misplacement
 * @param crossings           true zone changes
 * @param detected            of those, changes the gateway showed before the shopper moved on
 * @param changeDelayP50Ms    true crossing → the new zone visible in a poll, median
 * @param changeDelayP95Ms    the same, 95th percentile
 * @param observedChanges     zone changes the gateway showed
 * @param falseChanges        of those, changes to a zone the shopper was not in and had not just been in
 * @param dwell               dwell error per zone
 * @param withoutConsentPolls polls of shoppers without location consent
 * @param withoutConsentRefused of those, answered 403
 * @param failedPolls         polls that failed or got an unexpected status
 */
public record LocationScore(long shopperSeconds, double rightZoneShare, double unknownShare, double settlingShare,
                            int crossings,
                            int detected, long changeDelayP50Ms, long changeDelayP95Ms, int observedChanges,
                            int falseChanges, List<ZoneDwellError> dwell, long withoutConsentPolls,
                            long withoutConsentRefused, long failedPolls) {

    public boolean everyShopperWithoutConsentRefused() {
        return withoutConsentRefused == withoutConsentPolls;
    }

    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "shopper-seconds in the right zone: %.1f %% of %d (%.1f %% not located yet)%n",
                100 * rightZoneShare, shopperSeconds, 100 * unknownShare));
        b.append(String.format(Locale.ROOT, "  wrong within %d s of entering the true zone (catching up): %.1f %%;"
                        + " wrong otherwise: %.1f %%%n", LocationScorer.SETTLING_MS / 1000, 100 * settlingShare,
                100 * (1 - rightZoneShare - unknownShare - settlingShare)));
        b.append(String.format(Locale.ROOT, "zone-change detection delay: p50 %.1f s, p95 %.1f s (%d of %d changes seen)%n",
                changeDelayP50Ms / 1000.0, changeDelayP95Ms / 1000.0, detected, crossings));
        b.append(String.format(Locale.ROOT, "false zone changes: %d of %d shown%n", falseChanges, observedChanges));
        b.append("dwell error per zone (mean |gateway − truth|):\n");
        for (ZoneDwellError z : dwell) {
            b.append(String.format(Locale.ROOT, "  %-16s %6.1f s of %6.1f s true, %d shoppers%n", z.zoneId(),
                    z.meanAbsErrorS(), z.meanTrueS(), z.shoppers()));
        }
        b.append(String.format(Locale.ROOT, "without location consent: %d of %d polls answered 403%s%n",
                withoutConsentRefused, withoutConsentPolls, everyShopperWithoutConsentRefused() ? "" : "  FAIL"));
        b.append(String.format(Locale.ROOT, "failed polls: %d%n", failedPolls));
        return b.toString();
    }

    public JsonObject json() {
        JsonArray zones = new JsonArray();
        dwell.forEach(z -> zones.add(new JsonObject().put("zoneId", z.zoneId()).put("shoppers", z.shoppers())
                .put("meanTrueS", z.meanTrueS()).put("meanAbsErrorS", z.meanAbsErrorS())));
        return new JsonObject().put("shopperSeconds", shopperSeconds).put("rightZoneShare", rightZoneShare)
                .put("unknownShare", unknownShare).put("settlingShare", settlingShare).put("crossings", crossings).put("detected", detected)
                .put("changeDelayP50Ms", changeDelayP50Ms).put("changeDelayP95Ms", changeDelayP95Ms)
                .put("observedChanges", observedChanges).put("falseChanges", falseChanges).put("dwell", zones)
                .put("withoutConsentPolls", withoutConsentPolls).put("withoutConsentRefused", withoutConsentRefused)
                .put("failedPolls", failedPolls);
    }
}

package io.floorgate.gateway.summary;

import io.floorgate.proto.v1.FeedbackScores;
import io.floorgate.proto.v1.KioskInteraction;

/** The CSAT, NPS and CES answers of a group of feedbacks in a window. */
final class FeedbackTally {

    private final ScoreTally csat = ScoreTally.csat();
    private final ScoreTally nps = ScoreTally.nps();
    private final ScoreTally ces = ScoreTally.ces();

    void add(KioskInteraction.Feedback feedback) {
        if (feedback.hasCsat()) {
            csat.add(feedback.getCsat());
        }
        if (feedback.hasNps()) {
            nps.add(feedback.getNps());
        }
        if (feedback.hasCes()) {
            ces.add(feedback.getCes());
        }
    }

    FeedbackScores scores() {
        return FeedbackScores.newBuilder().setCsat(csat.aggregate()).setNps(nps.aggregate()).setCes(ces.aggregate())
                .build();
    }
}

package io.floorgate.gateway;

import java.util.concurrent.Callable;

import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;

/**
 * A stage that runs on a context of its own (a verticle): started by restoring its state from storage on a worker,
 * then deploying it; stopped by undeploying it.
 */
final class DeployedStage implements Component {

    private final Vertx vertx;
    private final String name;
    private final Deployable stage;
    private final Callable<Void> restore;
    private String deployment;

    /** @param restore blocking; runs before deployment, when nothing can reach the stage yet */
    DeployedStage(Vertx vertx, String name, Deployable stage, Callable<Void> restore) {
        this.vertx = vertx;
        this.name = name;
        this.stage = stage;
        this.restore = restore;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<Void> start() {
        return vertx.executeBlocking(restore).compose(v -> vertx.deployVerticle(stage))
                .map(id -> {
                    deployment = id;
                    return null;
                });
    }

    @Override
    public Future<Void> stop() {
        return vertx.undeploy(deployment);
    }
}

package io.floorgate.gateway.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.google.protobuf.ByteString;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.linking.InMemorySessionDirectory;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Customers;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.linking.Customer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pickup queue read view: every open order, published by the stage once each step is committed. */
class PickupQueueTest {

    private static final String POINT = "counter-1";
    private static final CustomerHash CUSTOMER = Customers.hash("customer-7");
    private static final long NOW_MS = 1_800_000_000_000L;

    @TempDir
    Path dataDir;

    private Vertx vertx;
    private Database database;
    private GroupCommitter committer;
    private PickupStage pickup;
    private final ShopperSession anna = new ShopperSession("session-anna", "app-1", Optional.of(new Customer(CUSTOMER, ByteString.EMPTY)), false,
            false, new byte[16], Duration.ofMinutes(1), NOW_MS);

    @BeforeEach
    void start() throws Exception {
        StoreConfig demo = StoreConfigLoader.loadDemo();
        vertx = Vertx.vertx();
        database = Database.open(dataDir);
        committer = new GroupCommitter(database, 100, 10, Duration.ofMillis(1), false, new SimpleMeterRegistry());
        InMemorySessionDirectory sessions = new InMemorySessionDirectory();
        sessions.start(anna);
        pickup = new PickupStage(committer, () -> demo, sessions, () -> NOW_MS, new SimpleMeterRegistry(),
                event -> List.of());
    }

    @AfterEach
    void stop() throws Exception {
        RunningGateway.await(vertx.close());
        committer.close();
        database.close();
    }

    @Test
    void openOrders_whenOrdersAreMadeReady_thenListsThemInTheOrderTheyWereMadeReady() {
        deploy();
        ready("o-1", "code-1");
        ready("o-2", "code-2");

        assertThat(pickup.openOrders()).extracting(Order::id).containsExactly("o-1", "o-2");
        assertThat(pickup.openOrders()).extracting(Order::state).containsOnly(OrderState.READY);
    }

    @Test
    void openOrders_whenAStepIsCommitted_thenTheOrderIsReplacedInPlaceAndEarlierAnswersStayAsTheyWere() {
        deploy();
        ready("o-1", "code-1");
        ready("o-2", "code-2");
        List<Order> before = pickup.openOrders();

        RunningGateway.await(pickup.onMyWay(anna, "o-1", OptionalInt.of(10)));
        RunningGateway.await(pickup.arrivedByApp(anna, "o-1"));

        assertThat(pickup.openOrders()).extracting(Order::id).containsExactly("o-1", "o-2");
        assertThat(pickup.openOrders().get(0).state()).isEqualTo(OrderState.ARRIVED);
        assertThat(pickup.openOrders().get(0).etaMinutes()).hasValue(10);
        assertThat(before.get(0).state()).as("an answer already given").isEqualTo(OrderState.READY);
        assertThatThrownBy(() -> before.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void openOrders_whenAnOrderIsHandedOff_thenLeavesTheQueue() {
        deploy();
        ready("o-1", "code-1");
        ready("o-2", "code-2");
        RunningGateway.await(pickup.arrivedByApp(anna, "o-1"));

        RunningGateway.await(pickup.handOffByStaff("o-1"));

        assertThat(pickup.openOrders()).extracting(Order::id).containsExactly("o-2");
    }

    @Test
    void openOrders_whenTheStepCannotBeStored_thenTheQueueNeverShowsIt() throws Exception {
        deploy();
        ready("o-1", "code-1");
        committer.close();

        assertThatThrownBy(() -> RunningGateway.await(pickup.arrivedByApp(anna, "o-1")))
                .hasRootCauseInstanceOf(PickupRefused.class);
        assertThatThrownBy(() -> RunningGateway.await(pickup.markReady(new OrderReady("o-2", CUSTOMER, POINT,
                "code-2")))).hasRootCauseInstanceOf(PickupRefused.class);

        assertThat(pickup.openOrders()).extracting(Order::id).containsExactly("o-1");
        assertThat(pickup.openOrders().get(0).state()).isEqualTo(OrderState.READY);
    }

    @Test
    void openOrders_whenRestored_thenListsTheOpenOrdersBeforeDeploymentAndLeavesHandedOffOnesOut() {
        Order ready = Order.ready("o-1", CUSTOMER, POINT, "code-1", NOW_MS);
        Order handedOff = Order.ready("o-2", CUSTOMER, POINT, "code-2", NOW_MS).arrived(NOW_MS + 1)
                .handedOff(NOW_MS + 2);

        pickup.restore(List.of(ready, handedOff));

        assertThat(pickup.openOrders()).containsExactly(ready);
    }

    private void deploy() {
        RunningGateway.await(vertx.deployVerticle(pickup));
    }

    private void ready(String orderId, String code) {
        RunningGateway.await(pickup.markReady(new OrderReady(orderId, CUSTOMER, POINT, code)));
    }
}

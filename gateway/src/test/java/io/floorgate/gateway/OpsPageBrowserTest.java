package io.floorgate.gateway;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.floorgate.config.Listeners;
import io.floorgate.config.Sessions;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.testing.AppClient;
import io.floorgate.gateway.testing.OpsBrowser;
import io.floorgate.gateway.testing.PushClient;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.Shoppers;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceCommand;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Sighting;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops page in Debian's headless Chromium (Playwright) against the demo store's gateway on free ports, with
 * Paho devices and HTTP shoppers started here. One gateway and one browser for the class; each test logs in
 * a page of its own. Each state the page reaches is saved under {@code target/ops-screenshots}.
 */
class OpsPageBrowserTest {

    /** The page must show a change within this (the stream sends at most every 300 ms). */
    private static final LocatorAssertions.IsVisibleOptions SOON = new LocatorAssertions.IsVisibleOptions()
            .setTimeout(2_000);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STORE = "demo-001";
    private static final String SYSTEM_TOKEN = "order-system-token-0123456789abcdef";
    private static final String ASSOCIATE = "associate";
    private static final String MANAGER = "manager";
    private static final String ADMIN = "admin";

    private static final HttpClient HTTP = RunningGateway.httpClient();

    @TempDir
    static Path dataDir;
    private static RunningGateway gw;
    private static OpsBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = OpsBrowser.launch();
        StoreConfig demo = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0,
                Optional.empty()));
        gw = RunningGateway.start(demo.withSessions(new Sessions(demo.sessions().inactivityTimeout(),
                demo.sessions().rotationPeriod(), Optional.of(SYSTEM_TOKEN))), dataDir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.stop();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void page_whenOpenedWithoutASession_thenAsksStaffToLogIn() {
        Page page = browser.open(url("/ops"));
        assertThat(page.locator("#login-form")).isVisible();
        assertThat(page.locator("#board")).isHidden();
        OpsBrowser.screenshot(page, "login");
    }

    @Test
    void associate_whenAShopperEntersAZone_thenSeesThatZonesNumberChangeOnTheFloorMap() throws Exception {
        Page page = logIn(ASSOCIATE);
        assertThat(page.locator("#floor-map polygon.zone")).hasCount(gw.gateway().config().zones().size());
        assertThat(page.locator("#zone-count-pickup")).hasText("0");
        OpsBrowser.screenshot(page, "floor-associate");

        AppClient app = new AppClient(gw);
        Shoppers.CheckedIn anna = Shoppers.checkIn(app, STORE, true, Optional.of("customer-zone"));
        try (TestDevice pickup1 = device("ble-pickup-1"); TestDevice pickup2 = device("ble-pickup-2")) {
            hear(anna.session(), pickup1, "ble-pickup-1", pickup2, "ble-pickup-2");
            // Once the gateway has placed her, the page shows it within 2 s.
            Awaitility.await().atMost(WAIT).until(() -> gw.gateway().locationQuery().locationOf(anna.session().id())
                    .filter(where -> where.zoneId().equals("pickup")).isPresent());
            await(page, "#zone-count-pickup", "1");
        }
        OpsBrowser.screenshot(page, "floor-shopper-in-pickup");
    }

    @Test
    void arrival_whenAShopperArrives_thenIsQueuedWithARunningTimer_andHandedOffRemovesItAndTellsTheShopper()
            throws Exception {
        Page page = logIn(ASSOCIATE);
        AppClient app = new AppClient(gw);
        Shoppers.CheckedIn bob = Shoppers.checkIn(app, STORE, false, Optional.of("customer-arrival"));
        assertThat(putReady(app, "o-ops-1", "customer-arrival", "code-ops-1").statusCode()).isEqualTo(201);
        assertThat(page.locator("tr[data-order='o-ops-1'][data-state='READY']")).isVisible(SOON);
        try (PushClient shopper = PushClient.open(gw, "/api/v1/sessions/" + bob.session().id() + "/stream",
                bob.token(), true)) {
            assertThat(app.send("POST", "/api/v1/sessions/" + bob.session().id() + "/orders/o-ops-1/arrived",
                    bob.token(), null).statusCode()).isEqualTo(200);
            assertThat(page.locator("tr[data-order='o-ops-1'][data-state='ARRIVED']")).isVisible(SOON);
            String first = page.locator("tr[data-order='o-ops-1'] .wait").textContent();
            assertThat(first).startsWith("waiting 0:0");
            assertThat(page.locator("tr[data-order='o-ops-1'] .wait")).not().hasText(first,
                    new LocatorAssertions.HasTextOptions().setTimeout(3_000));
            OpsBrowser.screenshot(page, "queue-arrived");

            page.locator("tr[data-order='o-ops-1'] button", new Page.LocatorOptions().setHasText("Coming")).click();
            assertThat(shopper.next("staff_on_the_way", WAIT).getJsonObject("order").getString("orderId"))
                    .isEqualTo("o-ops-1");
            page.locator("tr[data-order='o-ops-1'] button", new Page.LocatorOptions().setHasText("Handed off"))
                    .click();
            assertThat(page.locator("tr[data-order='o-ops-1']")).hasCount(0);
            assertThat(shopper.next("handed_off", WAIT).getJsonObject("order").getString("state"))
                    .isEqualTo("HANDED_OFF");
        }
        OpsBrowser.screenshot(page, "queue-handed-off");
    }

    @Test
    void device_whenStoppedByTheTest_thenShowsOffline() throws Exception {
        Page page = logIn(ASSOCIATE);
        String row = "#device-table tr[data-device='kiosk-entrance'] .pill";
        try (TestDevice kiosk = device("kiosk-entrance")) {
            await(page, row, "online");
        }
        await(page, row, "offline");
        OpsBrowser.screenshot(page, "device-offline");
    }

    @Test
    void associate_whenAskingForTheManagersAnalytics_thenTheApiAnswers403AndThePageShowsNone() throws Exception {
        Page associate = logIn(ASSOCIATE);
        assertThat(associate.locator("#analytics")).isHidden();
        assertThat(associate.locator("#admin")).isHidden();
        String cookie = staffCookie(associate);
        for (String path : List.of("traffic", "dwell", "pickup-waits", "feedback")) {
            assertThat(get("/api/v1/staff/analytics/" + path, cookie).statusCode()).as(path).isEqualTo(403);
        }
        Page manager = logIn(MANAGER);
        assertThat(get("/api/v1/staff/analytics/traffic", staffCookie(manager)).statusCode()).isEqualTo(200);
        assertThat(manager.locator("#analytics")).isVisible();
        assertThat(manager.locator("#chart-traffic canvas")).isVisible();
        assertThat(manager.locator("#sum-shoppers")).not().hasText("—");
        OpsBrowser.screenshot(manager, "manager-analytics");
        // The stream checks the role of every message too: the associate's page never got the manager's summary.
        assertThat(associate.locator("#sum-shoppers")).hasText("—");
        assertThat(associate.evaluate("() => window.opsStats.messages")).isNotEqualTo(0);
    }

    @Test
    void admin_whenPressingADevicesIdentifyButton_thenTheDeviceReceivesAnIdentifyCommandAndThePageSaysSo()
            throws Exception {
        Page page = logIn(ADMIN);
        String row = "#device-table tr[data-device='ble-checkout-1']";
        try (TestDevice receiver = device("ble-checkout-1")) {
            // TestDevice.subscribe names the test store's topics; this gateway runs the demo store.
            receiver.client().subscribe("store/" + STORE + "/devices/ble-checkout-1/commands", 1)
                    .waitForCompletion(WAIT.toMillis());
            await(page, row + " .pill", "online");

            page.locator(row + " button", new Page.LocatorOptions().setHasText("Identify")).click();

            assertThat(page.locator("#admin-result")).hasText(
                    "identify ble-checkout-1: identify sent to ble-checkout-1; the device acknowledged it",
                    new LocatorAssertions.HasTextOptions().setTimeout(WAIT.toMillis()));
            // Paho hands the message to the callback before its PUBACK, so it is here once the page says acknowledged.
            assertThat(receiver.received()).hasSize(1);
            TestDevice.Received received = receiver.received().get(0);
            assertThat(received.topic()).isEqualTo("store/" + STORE + "/devices/ble-checkout-1/commands");
            DeviceCommand command = DeviceCommand.parseFrom(received.payload());
            assertThat(command.hasIdentify()).isTrue();
            assertThat(command.getIdentify().getDurationS()).isPositive();
            assertThat(command.getCommandId()).isNotEmpty();
        }
        OpsBrowser.screenshot(page, "admin-identify");
    }

    @Test
    void login_whenTheWrongPasswordIsGivenFiveTimes_thenFurtherTriesAreLockedEvenWithTheRightOne(
            @TempDir Path ownDataDir) {
        // A gateway of its own: the lock holds for the test's address too, which the other tests log in from.
        try (RunningGateway locked = RunningGateway.start(gw.gateway().config(), ownDataDir)) {
            Page page = browser.open("http://127.0.0.1:" + locked.gateway().httpPort() + "/ops/");
            for (int attempt = 1; attempt <= 5; attempt++) {
                page.fill("#login-id", ASSOCIATE);
                page.fill("#login-password", "not-the-password-" + attempt);
                page.click("#login-form button[type=submit]");
                assertThat(page.locator("#login-error")).not().isEmpty();
                page.evaluate("() => document.getElementById('login-error').textContent = ''");
            }
            page.fill("#login-id", ASSOCIATE);
            page.fill("#login-password", "demo-only-" + ASSOCIATE);
            page.click("#login-form button[type=submit]");
            assertThat(page.locator("#login-error")).containsText("Too many");
            assertThat(page.locator("#board")).isHidden();
            OpsBrowser.screenshot(page, "login-locked");
        }
    }

    private Page logIn(String staffId) {
        Page page = browser.open(url("/ops/"));
        page.fill("#login-id", staffId);
        page.fill("#login-password", "demo-only-" + staffId);
        page.click("#login-form button[type=submit]");
        assertThat(page.locator("#board")).isVisible();
        assertThat(page.locator("#connection")).hasText("live");
        return page;
    }


    private static String staffCookie(Page page) {
        return page.context().cookies().stream().filter(c -> c.name.equals("fg_staff")).map(c -> c.value)
                .findFirst().orElseThrow();
    }

    private static HttpResponse<String> get(String path, String staffCookie) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Cookie", "fg_staff=" + staffCookie).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(Page page, String selector, String text) {
        assertThat(page.locator(selector)).hasText(text, new LocatorAssertions.HasTextOptions().setTimeout(2_000));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + gw.gateway().httpPort() + path;
    }

    private static TestDevice device(String id) throws Exception {
        return TestDevice.connectToDemoStore(gw.mqttUri(), id);
    }

    /** The pickup zone's two receivers hear the shopper close by, three rounds a second apart. */
    private static void hear(ShopperSession shopper, TestDevice first, String firstId, TestDevice second,
                             String secondId) throws Exception {
        for (long seq = 1; seq <= 3; seq++) {
            long now = System.currentTimeMillis();
            sightings(first, firstId, seq, shopper, -58, now);
            sightings(second, secondId, seq, shopper, -62, now);
        }
    }

    private static void sightings(TestDevice receiver, String deviceId, long seq, ShopperSession shopper,
                                  int rssiDbm, long now) throws Exception {
        BeaconSightings batch = BeaconSightings.newBuilder().setWindowMs(1000)
                .addSightings(Sighting.newBuilder().setObservedId(Shoppers.advertisedIdAt(shopper, now))
                        .setRssiDbm(rssiDbm).setTxPowerDbm(-59).setCount(4))
                .build();
        DeviceEvent event = DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(1).setSeq(seq)
                .setObservedAtMs(now).setBeaconSightings(batch).build();
        receiver.publishTo("store/" + STORE + "/devices/" + deviceId + "/events", event.toByteArray(), 0);
    }

    private static HttpResponse<String> putReady(AppClient app, String orderId, String customer, String code) {
        return app.send("PUT", "/api/v1/orders/" + orderId, SYSTEM_TOKEN, new JsonObject().put("status", "READY")
                .put("pickupPointId", "counter-1").put("customerRef", customer).put("code", code).encode());
    }
}

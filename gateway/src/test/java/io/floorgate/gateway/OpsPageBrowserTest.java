package io.floorgate.gateway;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.microsoft.playwright.Page;
import io.floorgate.gateway.testing.OpsBrowser;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ops page in real headless Chromium against a gateway on free ports. */
class OpsPageBrowserTest {

    @TempDir
    Path dataDir;

    @Test
    void page_whenOpenedWithoutASession_thenAsksStaffToLogIn() {
        try (RunningGateway gw = RunningGateway.start(TestStore.config(), dataDir);
             OpsBrowser browser = OpsBrowser.launch()) {
            Page page = browser.open("http://127.0.0.1:" + gw.gateway().httpPort() + "/ops");
            assertThat(page.locator("#login-form")).isVisible();
            assertThat(page.locator("#board")).isHidden();
            OpsBrowser.screenshot(page, "login");
            assertThat(gw.get("/ops/lib/uplot/1.6.30/dist/uPlot.esm.js").statusCode()).isEqualTo(200);
        }
    }
}

package io.floorgate.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's headless Chromium driven by Playwright for Java, for the ops page's browser tests. Playwright's driver
 * (with its own node) comes from the driver-bundle jar and runs offline; no browser is ever downloaded. Without
 * {@value #CHROMIUM} the test is skipped by a JUnit assumption that says so, never passed.
 */
public final class OpsBrowser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final Path SCREENSHOTS = Path.of("target", "ops-screenshots");
    /** A tablet in landscape, the page's smallest intended layout with everything side by side. */
    private static final int WIDTH = 1024;
    private static final int HEIGHT = 900;
    private static final double NAVIGATION_TIMEOUT_MS = 120_000;

    private final Playwright playwright;
    private final Browser browser;

    private OpsBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Skips the calling test, with a message saying why, when Chromium is not installed. */
    public static OpsBrowser launch() {
        assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "Browser test skipped: " + CHROMIUM
                + " is not installed (apt-get install chromium; .ci/run installs it)");
        return launchOrFail();
    }

    /** For the benchmark, which is not a test: fails when Chromium is not installed. */
    public static OpsBrowser launchOrFail() {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of(CHROMIUM)).setHeadless(true)
                    .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu")));
            return new OpsBrowser(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A new page in a context of its own (its own cookies: one staff member per page). */
    public Page open(String url) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(WIDTH, HEIGHT));
        // Generous: a page served by a gateway under full load on a busy machine can take a while to load.
        context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
        Page page = context.newPage();
        page.navigate(url);
        return page;
    }

    /** Saves the whole page as {@code target/ops-screenshots/<name>.png}, test output a person can look at. */
    public static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

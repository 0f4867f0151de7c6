package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The PnL dashboard in a real browser (the machine's headless Chromium, driven by Selenium): after signals are
 * filled the page shows the numbers the API gives, and a new fill shows up without a reload. A screenshot is kept in
 * {@code e2e-tests/target/dashboard.png}.
 */
class DashboardBrowserIT {

    private static Stack stack;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() {
        String chromium = System.getenv().getOrDefault("TRADEPLANE_CHROMIUM", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("TRADEPLANE_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (!Files.isExecutable(Path.of(chromium)) || !Files.isExecutable(Path.of(driver))) {
            throw new IllegalStateException("Chromium and its driver are needed at " + chromium + " and " + driver
                    + ": install the Debian packages chromium and chromium-driver (bash .ci/run does)");
        }
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_e2e"), TestInfrastructure.redis(),
                Map.of("TRADEPLANE_ALLOCATOR_INTERVAL", "2s")).start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1300");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void thePageShowsWhatTheApiSaysAndANewFillArrivesWithoutAReload() throws Exception {
        for (int i = 0; i < 4; i++) {
            signal(i % 2 == 0 ? "BUY" : "SELL", i < 2 ? "0.01" : "0.004");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> api().getList("positions").size() >= 1);

        browser.get(stack.opsUrl() + "/dash/#token=" + Stack.TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(text(By.id("status"))));
        assertTrue(!browser.getCurrentUrl().contains(Stack.TOKEN), "the token leaves the address bar: " + browser.getCurrentUrl());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> pageMatchesApi().isEmpty());

        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");
        int fillsShown = browser.findElements(By.cssSelector("#events li[data-type='order.filled']")).size();
        String before = text(By.id("fees"));
        signal("BUY", "0.02");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#events li[data-type='order.filled']")).size() > fillsShown);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> pageMatchesApi().isEmpty());
        assertTrue(!before.equals(text(By.id("fees"))), "the fees moved with the new fill: " + before);
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;"),
                "the page was not reloaded");

        Path shot = Path.of(System.getProperty("tradeplane.root", "..")).resolve("e2e-tests/target/dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Each figure that differs between the page and GET /dash/pnl, as "where: page vs api"; empty when all agree. The
     * page re-renders its tables on every refresh: a cell replaced while it is read counts as not agreeing yet.
     */
    private static Map<String, String> pageMatchesApi() {
        try {
            return differences();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return Map.of("page", "re-rendered while read");
        }
    }

    private static Map<String, String> differences() {
        JsonPath d = api();
        Map<String, String> diff = new LinkedHashMap<>();
        compare(diff, "realized", text(By.id("realized")), d.getString("realized_pnl"));
        compare(diff, "unrealized", text(By.id("unrealized")), d.getString("unrealized_pnl"));
        compare(diff, "fees", text(By.id("fees")), d.getString("fees"));
        List<Map<String, Object>> models = d.getList("models");
        for (Map<String, Object> m : models) {
            for (String field : List.of("realized_pnl", "fees", "weight")) {
                List<WebElement> cell = browser.findElements(By.cssSelector("#models tr[data-model='" + m.get("model") + "'] td[data-field='" + field + "']"));
                compare(diff, m.get("model") + "." + field, cell.isEmpty() ? "missing" : cell.get(0).getText(), String.valueOf(m.get(field)));
            }
        }
        List<Map<String, Object>> positions = d.getList("positions");
        for (Map<String, Object> p : positions) {
            if (Double.parseDouble(String.valueOf(p.get("quantity"))) == 0) {
                continue;
            }
            List<WebElement> cell = browser.findElements(By.cssSelector("#positions tr[data-key='" + p.get("symbol") + "|" + p.get("model")
                    + "'] td[data-field='quantity']"));
            compare(diff, p.get("symbol") + "|" + p.get("model"), cell.isEmpty() ? "missing" : cell.get(0).getText(), String.valueOf(p.get("quantity")));
        }
        return diff;
    }

    private static void compare(Map<String, String> diff, String where, String page, String api) {
        if (!page.equals(api)) {
            diff.put(where, page + " vs " + api);
        }
    }

    private static String text(By by) {
        List<WebElement> e = browser.findElements(by);
        return e.isEmpty() ? "" : e.get(0).getText();
    }

    private static JsonPath api() {
        return given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).get("/dash/pnl").then().statusCode(200).extract().jsonPath();
    }

    private static void signal(String side, String quantity) {
        given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON)
                .body("{\"signal_id\":\"dash-" + UUID.randomUUID() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"" + side + "\",\"quantity\":\""
                        + quantity + "\"}")
                .post("/strategy/signal").then().statusCode(202);
    }
}

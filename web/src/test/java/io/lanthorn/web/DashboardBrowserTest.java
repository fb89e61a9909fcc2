package io.lanthorn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.testkit.Requirements;
import io.lanthorn.web.http.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Every page in Debian's headless Chromium (driven by its chromedriver, nothing downloaded) against
 * a server reading a file sink-sqlite wrote: the DOM holds the data, the graph its nodes, the
 * console no error (a CSP violation or a script error would be one), and a screenshot of each page
 * lands in target/screenshots/.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path dir;
  private static WebServer server;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Requirements.require(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium and its driver (apt-get install chromium chromium-driver)");
    Path database = dir.resolve("lanthorn.db");
    TestHistory.write(database);
    server = WebApiTest.start(WebSettings.of("127.0.0.1:0", database.toString(), "", "", 10, 10));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1280,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void overviewChartsActivityAndListsDestinations() throws Exception {
    open("/?period=1h", "overview");
    assertThat(text("top")).contains("10.0.0.5:5432");
    assertThat(text("failing")).contains("192.168.7.1:443", "10.0.9.9:6379", "timed_out");
    assertThat(text("new")).contains(TestHistory.PAYMENTS, "10.0.9.9:6379");
    assertThat(text("threats")).contains("no threat hits");
    assertThat(text("totals")).contains("72", "attempts");
    Object bars =
        script("return Chart.getChart('activity').data.datasets.map(d => d.label).sort()");
    assertThat(bars).isEqualTo(List.of("established", "refused", "timed_out"));
  }

  @Test
  void containersListsBothWithLinks() throws Exception {
    open("/containers", "containers");
    assertThat(text("containers"))
        .contains(TestHistory.PAYMENTS, TestHistory.WORKER, "lanthorn-test:busybox", "shop");
    WebElement link = browser.findElement(By.linkText(TestHistory.WORKER));
    assertThat(link.getAttribute("href")).endsWith("/containers/" + TestHistory.WORKER);
  }

  @Test
  void containerPageDrawsItsDestinationGraphAndFiltersAttempts() throws Exception {
    open("/containers/" + TestHistory.PAYMENTS + "?period=24h", "container");
    assertThat(browser.findElement(By.id("name")).getText()).isEqualTo(TestHistory.PAYMENTS);
    Object nodes = script("return lanthornGraph.nodes().map(n => n.data('label').split('\\n')[0])");
    assertThat(nodes)
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrder(TestHistory.PAYMENTS, "10.0.0.5:5432", "10.0.9.9:6379");
    assertThat(script("return lanthornGraph.edges().length")).isEqualTo(2L);
    assertThat(text("attempts")).contains("refused", "established");

    browser.findElement(By.cssSelector("#filter select[name=outcome]")).sendKeys("refused");
    browser.findElement(By.cssSelector("#filter button")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("outcome"));
    waitLoaded();
    assertThat(text("attempts")).contains("refused").doesNotContain("established");
    screenshot("container-refused");
  }

  @Test
  void searchPaginatesAndLinksEveryRowToItsContainer() throws Exception {
    open("/search?period=24h&destination=10.0.0.0/16&size=50", "search");
    List<WebElement> rows = browser.findElements(By.cssSelector("#results tbody tr"));
    assertThat(rows).hasSize(50);
    assertThat(browser.findElement(By.id("next")).isEnabled()).isTrue();
    assertThat(browser.findElements(By.cssSelector("#results tbody a")))
        .allSatisfy(a -> assertThat(a.getAttribute("href")).contains("/containers/web-test-"));
    browser.findElement(By.id("next")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("page=1"));
    waitLoaded();
    assertThat(browser.findElements(By.cssSelector("#results tbody tr"))).hasSize(64 - 50);
    assertThat(browser.findElement(By.id("next")).isEnabled()).isFalse();
    noConsoleErrors();
  }

  @Test
  void searchFiltersByDirectionAndProtocol() throws Exception {
    // The history holds outbound TCP only: inbound finds nothing, outbound TCP finds it all.
    open("/search?period=24h&destination=10.0.0.0/16&direction=inbound", "search-inbound");
    assertThat(text("results")).contains("no connections match");
    assertThat(
            browser
                .findElement(By.cssSelector("#search select[name=direction]"))
                .getAttribute("value"))
        .isEqualTo("inbound");
    open(
        "/search?period=24h&destination=10.0.0.0/16&direction=outbound&protocol=tcp&size=50",
        "search-outbound-tcp");
    assertThat(browser.findElements(By.cssSelector("#results tbody tr"))).hasSize(50);
  }

  @Test
  void aFleetsPagesShowTheHostAndSearchNarrowsToOne() throws Exception {
    Path fleet = dir.resolve("fleet.db");
    WebHostsTest.writeHosts(fleet, "a", "b");
    try (WebServer central =
        WebApiTest.start(WebSettings.of("127.0.0.1:0", fleet.toString(), "", "", 10, 10))) {
      open(central, "/?period=1h", "overview-fleet");
      assertThat(text("top")).startsWith("Hosts").containsPattern("(a,b|b,a) 10\\.0\\.0\\.5:5432");
      open(central, "/search?period=1h&host=b", "search-fleet");
      assertThat(
              browser.findElement(By.cssSelector("#search input[name=host]")).getAttribute("value"))
          .isEqualTo("b");
      List<WebElement> rows = browser.findElements(By.cssSelector("#results tbody tr"));
      assertThat(rows)
          .hasSize(3)
          .allSatisfy(
              row -> assertThat(row.findElement(By.tagName("td")).getText()).isEqualTo("b"));
    }
  }

  private static void open(String path, String name) throws Exception {
    open(server, path, name);
  }

  private static void open(WebServer target, String path, String name) throws Exception {
    browser.get("http://127.0.0.1:" + target.address().getPort() + path);
    waitLoaded();
    noConsoleErrors();
    screenshot(name);
  }

  private static void waitLoaded() {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                "true".equals(browser.findElement(By.tagName("body")).getAttribute("data-loaded")));
  }

  private static void noConsoleErrors() {
    List<String> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
            .map(LogEntry::getMessage)
            .toList();
    assertThat(errors).as("browser console").isEmpty();
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static Object script(String source) {
    return ((JavascriptExecutor) browser).executeScript(source);
  }
}

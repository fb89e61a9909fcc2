package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard as a user sees it: the shipped agent records a real container's connection to a
 * listener this test opens on the Docker bridge, then Debian's headless Chromium (through its
 * chromedriver, nothing downloaded, no phoning home) opens every page the agent serves. Each page
 * shows the container and its destination, the console holds no error, and a screenshot of each
 * lands in target/screenshots/live-*.png.
 */
class DashboardLiveIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** What the web plugin logs once it listens: the real port of {@code web.listen=…:0}. */
  private static final Pattern LISTENING =
      // Split so that NoRemoteFeedsIT does not read the pattern as a URL.
      Pattern.compile("dashboard and /metrics on (http:" + "//127\\.0\\.0\\.1:\\d+)/");

  @TempDir Path work;

  @Test
  void everyPageShowsTheContainerTheAgentRecorded() throws Exception {
    Facilities.assumeDocker();
    require(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium and its driver (scripts/install-deps.sh --with-docker)");
    InetAddress gateway = DnsMissionIT.bridgeGateway();
    Path db = work.resolve("data/lanthorn.db");

    try (ServerSocket listener = new ServerSocket(0, 50, gateway);
        DnsMissionIT.Acceptor acceptor = new DnsMissionIT.Acceptor(listener);
        Docker docker = new Docker();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                // --db-path is sink-sqlite's; the dashboard reads the same file through web.path.
                .env("CONFIG_FORCE_web_path", db.toString())
                .start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      agent.awaitLog(Mission.DOCKER_CONNECTED);
      Matcher listening = LISTENING.matcher(agent.stderr());
      assertThat(listening.find()).as(agent.stderr()).isTrue();
      String base = listening.group(1);

      String name = docker.name("weblive");
      String destination = gateway.getHostAddress() + ":" + listener.getLocalPort();
      Docker.docker(
          "run",
          "--name",
          name,
          "--network",
          "bridge",
          Docker.IMAGE,
          "sh",
          "-c",
          "echo hi | nc -w 2 " + gateway.getHostAddress() + " " + listener.getLocalPort());
      await("the container's connection to be stored")
          .atMost(Mission.BACKLOG_PATIENCE)
          .until(
              () ->
                  EventsDb.number(
                          db,
                          "SELECT count(*) FROM events WHERE container_name = ? AND dst_port = ?"
                              + " AND outcome = 'established'",
                          name,
                          listener.getLocalPort())
                      > 0);

      ChromeDriver browser = browser();
      try {
        Page page = new Page(browser, base);
        page.open("/?period=1h", "live-overview");
        assertThat(page.text("top")).contains(destination);
        // Never seen from this container before: a new destination, by container name.
        assertThat(page.text("new")).contains(name, destination);

        page.open("/containers?period=1h", "live-containers");
        assertThat(page.text("containers")).contains(name, Docker.IMAGE);
        assertThat(browser.findElement(By.linkText(name)).getAttribute("href"))
            .startsWith(base + "/containers/" + name);

        page.open("/containers/" + name + "?period=1h", "live-container");
        assertThat(page.text("name")).isEqualTo(name);
        assertThat(page.text("attempts")).contains(destination, "established");
        assertThat(
                browser.executeScript(
                    "return lanthornGraph.nodes().map(n => n.data('label').split('\\n')[0])"))
            .asInstanceOf(InstanceOfAssertFactories.LIST)
            .containsExactlyInAnyOrder(name, destination);
        assertThat(browser.executeScript("return lanthornGraph.edges().length")).isEqualTo(1L);

        page.open("/search?period=1h&container=" + name, "live-search");
        assertThat(page.text("results")).contains(name, destination, "established");
        assertThat(browser.findElements(By.cssSelector("#results tbody a")))
            .isNotEmpty()
            .allSatisfy(
                a -> assertThat(a.getAttribute("href")).startsWith(base + "/containers/" + name));
      } finally {
        browser.quit();
      }

      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      assertThat(agent.finalStatus().dropped()).as(agent.finalStatus().line()).isZero();
    }
  }

  /** Headless Chromium that fetches nothing on its own: only the pages the test opens. */
  private static ChromeDriver browser() throws Exception {
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
    Files.createDirectories(SCREENSHOTS);
    return new ChromeDriver(service, options);
  }

  /** Opens pages of the agent's dashboard, waits for their data, checks the console. */
  private record Page(ChromeDriver browser, String base) {
    void open(String path, String screenshot) throws Exception {
      browser.get(base + path);
      await(path + " to load its data")
          .atMost(Duration.ofSeconds(15))
          .until(() -> browser.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
      assertThat(browser.findElement(By.tagName("body")).getAttribute("data-loaded"))
          .as("%s loaded (error: %s)", path, text("error"))
          .isEqualTo("true");
      List<String> errors =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
              .map(LogEntry::getMessage)
              .toList();
      assertThat(errors).as("browser console on %s", path).isEmpty();
      Files.write(
          SCREENSHOTS.resolve(screenshot + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    String text(String id) {
      return browser.findElement(By.id(id)).getText();
    }
  }
}

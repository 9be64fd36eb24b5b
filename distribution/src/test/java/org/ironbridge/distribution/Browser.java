package org.ironbridge.distribution;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through chromedriver with Selenium WebDriver: Debian's {@code
 * chromium} and {@code chromium-driver} packages, installed by {@code scripts/provision.sh}. Each
 * browser gets a fresh profile ({@code --user-data-dir}) and is closed with its chromedriver.
 *
 * <p>A missing Chromium is a test failure, never a skip: the browser tests are part of the build.
 * Override the binaries with {@code -Dironbridge.chromium=…} and {@code
 * -Dironbridge.chromedriver=…}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM =
            Paths.get(System.getProperty("ironbridge.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER =
            Paths.get(System.getProperty("ironbridge.chromedriver", "/usr/bin/chromedriver"));

    /** Where {@link #screenshot} writes its pictures. */
    static final Path SCREENSHOTS = Paths.get("target", "screenshots").toAbsolutePath();

    /**
     * The flags every browser starts with: headless, no sandbox (root), nothing that phones home.
     */
    static final List<String> FLAGS =
            List.of(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1000,900");

    final WebDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(WebDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /**
     * Starts a browser.
     *
     * @throws AssertionError when Chromium or chromedriver is not installed
     */
    static Browser start() throws IOException {
        requireInstalled();
        Path profile = Distribution.tempDirectory("chromium-profile-");
        Path log = Files.createDirectories(Paths.get("target").toAbsolutePath());
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .withLogFile(
                                new File(
                                        log.resolve(
                                                        "chromedriver-"
                                                                + profile.getFileName()
                                                                + ".log")
                                                .toString()))
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        try {
            return new Browser(new ChromeDriver(service, options), service, profile);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /**
     * Fails unless Chromium and chromedriver are installed.
     *
     * @throws AssertionError naming what is missing and how to install it
     */
    static void requireInstalled() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(
                        p
                                + " is missing: the browser tests need Debian's chromium and"
                                + " chromium-driver packages. Run scripts/provision.sh (scripts/test.sh"
                                + " does) or apt-get install chromium chromium-driver.");
            }
        }
    }

    /** Loads a page and returns the driver. */
    WebDriver open(String url) {
        driver.get(url);
        return driver;
    }

    /**
     * Waits up to {@code seconds} for the condition to hold (non-null, non-false). An element that
     * went stale meanwhile (the page redrew it) means "not yet": the condition is tried again.
     */
    <T> T await(int seconds, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds))
                .pollingEvery(Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits until an element is displayed and clicks it (found again if the page redrew it). */
    void click(By by) {
        await(
                15,
                d -> {
                    visible(by).click();
                    return true;
                });
    }

    /** Waits until an element is displayed and returns its text (read again if it was redrawn). */
    String text(By by) {
        return await(15, d -> visible(by).getText());
    }

    /**
     * Waits until an element is displayed and returns it. When it does not show, the failure says
     * what the page showed instead (its URL and visible text), for a CI log without screenshots.
     */
    WebElement visible(By by) {
        try {
            return await(
                    15,
                    d -> {
                        List<WebElement> found = d.findElements(by);
                        return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            String page;
            try {
                page =
                        driver.getCurrentUrl()
                                + " showing: "
                                + driver.findElement(By.tagName("body"))
                                        .getText()
                                        .replaceAll("\\s+", " ");
            } catch (RuntimeException unreadable) {
                page = "(unreadable: " + unreadable + ")";
            }
            throw new AssertionError(
                    by + " was not displayed within 15 s; the page: " + truncate(page, 1500), e);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** Runs JavaScript in the current page. */
    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/<name>.png}; returns its path. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path to = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

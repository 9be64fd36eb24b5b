package org.ironbridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/** The launcher's wait for the REST API before the last start levels, on a real Felix framework. */
class DeferredStartLevelTest {
    private static final String FILTER = "(objectClass=java.lang.Runnable)";

    @TempDir Path storage;
    private Framework framework;

    @BeforeEach
    void startFramework() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "2");
        framework =
                ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    void waitsForTheServiceThenRaisesTheStartLevel() throws Exception {
        Thread registrar =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(300);
                            } catch (InterruptedException e) {
                                return;
                            }
                            Runnable api = () -> {};
                            framework.getBundleContext().registerService(Runnable.class, api, null);
                        });
        long t0 = System.nanoTime();
        registrar.start();
        assertThat(Main.awaitService(framework, FILTER, 10_000)).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 5_000L);
        assertThat(framework.adapt(FrameworkStartLevel.class).getStartLevel()).isEqualTo(2);

        Main.setStartLevel(framework, 7);
        assertThat(framework.adapt(FrameworkStartLevel.class).getStartLevel()).isEqualTo(7);
    }

    @Test
    void onlyALevelBetweenTwoAndTheBeginningLevelIsDeferred() {
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "10");
        assertThat(Main.deferredLevel(props)).isZero();
        props.put(Main.AFTER_API_LEVEL, " 7 ");
        assertThat(Main.deferredLevel(props)).isEqualTo(7);
        props.put(Main.AFTER_API_LEVEL, "11");
        assertThat(Main.deferredLevel(props)).isZero();
        props.put(Main.AFTER_API_LEVEL, "1");
        assertThat(Main.deferredLevel(props)).isZero();
        props.put(Main.AFTER_API_LEVEL, "");
        assertThat(Main.deferredLevel(props)).isZero();
    }

    @Test
    void aServiceRegisteredBeforeTheWaitIsSeen() throws Exception {
        Runnable api = () -> {};
        framework.getBundleContext().registerService(Runnable.class, api, null);
        assertThat(Main.awaitService(framework, FILTER, 10_000)).isTrue();
    }

    @Test
    void givesUpAfterTheTimeout() throws Exception {
        long t0 = System.nanoTime();
        assertThat(Main.awaitService(framework, FILTER, 300)).isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 5_000L);
    }

    @Test
    void aStopEndsTheWait() throws Exception {
        Thread stopper =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(300);
                                framework.stop();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        long t0 = System.nanoTime();
        stopper.start();
        assertThat(Main.awaitService(framework, FILTER, 60_000)).isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000L);
    }
}

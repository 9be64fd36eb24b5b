package org.ironbridge.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConnectorInstaller;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs connector bundles uploaded through the admin API. When the server has a hot-deploy
 * folder ({@code felix.fileinstall.dir}), the jar is written there and Felix FileInstall installs,
 * starts and later updates it, exactly as if an operator had copied it in; so an uploaded connector
 * survives a restart and can be removed by deleting the file. Without that folder (embedded tests),
 * the bundle is installed into the framework directly.
 */
@Component(service = ConnectorInstaller.class)
public final class BundleConnectorInstaller implements ConnectorInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(BundleConnectorInstaller.class);
    private static final String FACTORY = ConnectorFactory.class.getName();
    private static final long WAIT_MILLIS = 20_000;

    private final BundleContext ctx;
    private final ConnectorRegistry registry;
    private final Path deployDir;

    @Activate
    public BundleConnectorInstaller(BundleContext ctx, @Reference ConnectorRegistry registry) {
        this.ctx = ctx;
        this.registry = registry;
        String dir = ctx.getProperty("felix.fileinstall.dir");
        this.deployDir = dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    @Override
    public List<InstalledConnector> install(Path jar) throws EngineException {
        String bsn = connectorBundleName(jar);
        Bundle existing = bundle(bsn);
        try {
            Bundle installed;
            if (deployDir != null && Files.isDirectory(deployDir)) {
                installed = installThroughDeployFolder(jar, bsn, existing);
            } else {
                installed = installDirectly(jar, bsn, existing);
            }
            return awaitFactories(installed, bsn);
        } catch (IOException | BundleException e) {
            LOG.warn("Installing connector bundle {} failed: {}", bsn, e.getMessage());
            throw invalid("The bundle could not be installed: " + e.getMessage());
        }
    }

    private Bundle installThroughDeployFolder(Path jar, String bsn, Bundle existing)
            throws IOException, EngineException {
        Path target = deployedFile(existing);
        if (target == null) {
            target = deployDir.resolve(bsn + ".jar");
        }
        long before = existing == null ? -1 : existing.getLastModified();
        Path tmp = Files.createTempFile(deployDir, ".upload-", ".tmp");
        try {
            Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
            // FileInstall ignores dot files; the rename makes the complete jar appear at once
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.info("Connector bundle {} written to {}", bsn, target);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Bundle b = bundle(bsn);
            if (b != null
                    && (existing == null || b.getLastModified() > before)
                    && b.getState() == Bundle.ACTIVE) {
                return b;
            }
            pause();
        }
        throw invalid(
                "The bundle was written to the deploy folder but did not start within "
                        + WAIT_MILLIS / 1000
                        + " s; see the server log");
    }

    private Bundle installDirectly(Path jar, String bsn, Bundle existing)
            throws IOException, BundleException {
        try (InputStream in = Files.newInputStream(jar)) {
            Bundle b;
            if (existing != null) {
                existing.update(in);
                b = existing;
            } else {
                b = ctx.installBundle("ironbridge:upload:" + bsn, in);
            }
            b.start();
            return b;
        }
    }

    private List<InstalledConnector> awaitFactories(Bundle b, String bsn) throws EngineException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            List<InstalledConnector> mine =
                    registry.installed().stream()
                            .filter(c -> c.bundleId() == b.getBundleId())
                            .toList();
            if (!mine.isEmpty()) {
                return mine;
            }
            pause();
        }
        throw invalid(
                "Bundle "
                        + bsn
                        + " started but registered no connector factory within "
                        + WAIT_MILLIS / 1000
                        + " s; see the server log");
    }

    @Override
    public void uninstall(String system) throws EngineException {
        InstalledConnector c =
                registry.find(system)
                        .orElseThrow(
                                () ->
                                        EngineException.notFound(
                                                "No connector for system "
                                                        + system
                                                        + " is installed"));
        Bundle b = ctx.getBundle(c.bundleId());
        if (b == null) {
            return;
        }
        try {
            Path file = deployedFile(b);
            if (file != null) {
                Files.deleteIfExists(file);
            } else {
                b.uninstall();
            }
        } catch (IOException | BundleException e) {
            LOG.warn("Uninstalling bundle {} failed: {}", b.getSymbolicName(), e.getMessage());
            throw new EngineException(
                    Code.VALIDATION_FAILED, "The bundle could not be removed: " + e.getMessage());
        }
        LOG.info("Connector {} (bundle {}) removed", system, b.getSymbolicName());
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (registry.installed().stream().noneMatch(i -> i.bundleId() == c.bundleId())) {
                return;
            }
            pause();
        }
        LOG.warn("The factory of {} is still registered {} s after removal", system, WAIT_MILLIS);
    }

    /** The file in the deploy folder a bundle was installed from, if it was. */
    private Path deployedFile(Bundle b) {
        if (b == null || deployDir == null) {
            return null;
        }
        String location = b.getLocation();
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            Path p = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return p.startsWith(deployDir.toAbsolutePath().normalize()) ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : ctx.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /**
     * The symbolic name of an uploaded jar, after checking that it is an OSGi bundle that provides
     * a connector factory (bnd writes {@code Provide-Capability: osgi.service;objectClass=...} for
     * every DS service).
     */
    static String connectorBundleName(Path jar) throws EngineException {
        Manifest mf;
        try (JarFile jf = new JarFile(jar.toFile())) {
            mf = jf.getManifest();
        } catch (IOException e) {
            throw invalid("The file is not a jar: " + e.getMessage());
        }
        if (mf == null) {
            throw invalid("The jar has no manifest, so it is not an OSGi bundle");
        }
        String bsn = mf.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw invalid("The jar is not an OSGi bundle (no Bundle-SymbolicName)");
        }
        bsn = bsn.split(";", 2)[0].trim();
        if (!bsn.matches("[A-Za-z0-9_.-]{1,200}")) {
            throw invalid("The bundle's symbolic name is not usable: " + bsn);
        }
        String provides = mf.getMainAttributes().getValue("Provide-Capability");
        if (provides == null || !provides.contains(FACTORY)) {
            throw invalid(
                    "Bundle "
                            + bsn
                            + " provides no connector (no "
                            + FACTORY
                            + " service in Provide-Capability)");
        }
        return bsn;
    }

    private static EngineException invalid(String message) {
        return EngineException.invalid(message, List.of(new FieldError("bundle", message)));
    }

    private static void pause() throws EngineException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Code.SOURCE_UNAVAILABLE, "Interrupted while waiting");
        }
    }
}

package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.ironbridge.engine.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the installer accepts as a connector bundle before it touches the framework. */
class ConnectorBundleCheckTest {
    private static final String FACTORY_CAPABILITY =
            "osgi.service;objectClass:List<String>=\"org.ironbridge.api.connector.ConnectorFactory\";"
                    + "uses:=\"org.ironbridge.api.connector\"";

    @TempDir Path dir;

    private Path jar(String bsn, String provides) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        if (provides != null) {
            mf.getMainAttributes().putValue("Provide-Capability", provides);
        }
        Path p = Files.createTempFile(dir, "bundle", ".jar");
        try (OutputStream out = Files.newOutputStream(p);
                JarOutputStream j = new JarOutputStream(out, mf)) {
            j.closeEntry();
        }
        return p;
    }

    @Test
    void aBundleThatProvidesAConnectorFactoryIsAccepted() throws Exception {
        Path p = jar("com.example.connector.maximo;singleton:=true", FACTORY_CAPABILITY);
        assertThat(BundleConnectorInstaller.connectorBundleName(p))
                .isEqualTo("com.example.connector.maximo");
    }

    @Test
    void aFileThatIsNotAJarIsRefused() throws Exception {
        Path p = Files.writeString(dir.resolve("notes.jar"), "hello");
        assertThatThrownBy(() -> BundleConnectorInstaller.connectorBundleName(p))
                .isInstanceOfSatisfying(
                        EngineException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(EngineException.Code.VALIDATION_FAILED);
                            assertThat(e.errors().get(0).field()).isEqualTo("bundle");
                        })
                .hasMessageContaining("not a jar");
    }

    @Test
    void aPlainJarIsNotABundle() throws Exception {
        Path p = jar(null, null);
        assertThatThrownBy(() -> BundleConnectorInstaller.connectorBundleName(p))
                .hasMessageContaining("not an OSGi bundle");
    }

    @Test
    void aBundleWithoutAConnectorFactoryIsRefused() throws Exception {
        Path p =
                jar(
                        "com.example.tools",
                        "osgi.service;objectClass:List<String>=\"com.example.Tool\"");
        assertThatThrownBy(() -> BundleConnectorInstaller.connectorBundleName(p))
                .hasMessageContaining("provides no connector");
    }

    @Test
    void aSymbolicNameThatCannotBeAFileNameIsRefused() throws Exception {
        Path p = jar("../../etc/passwd", FACTORY_CAPABILITY);
        assertThatThrownBy(() -> BundleConnectorInstaller.connectorBundleName(p))
                .hasMessageContaining("not usable");
    }
}

package org.ironbridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new embedded H2 database starts as a copy of a template: the database that this bundle's Flyway
 * migrations produce, made by the build ({@link #main}) and shipped in the bundle. Creating the
 * tables of a dozen migrations in a cold JVM took about half of a first start's way to ready on 2
 * cores; copying the file takes milliseconds.
 *
 * <p>Flyway stays in charge: the template carries Flyway's schema history, so {@link
 * PooledDatabase#migrate()} validates it against the migrations in this bundle (their checksums)
 * and applies any the template does not have yet. A database file that exists already is never
 * touched, and neither is MariaDB. The template is made in the same build, from the same
 * migrations, with the same H2 version as the H2 bundle that ships with it; {@code H2TemplateTest}
 * checks that a database made from it has exactly the schema of one that Flyway migrated from
 * nothing.
 */
public final class H2Template {
    private static final Logger LOG = LoggerFactory.getLogger(H2Template.class);

    /** Where the build puts the template, beside this class. */
    static final String RESOURCE = "h2-template.mv.db";

    /** The user the template was created with (H2 stores its users in the database file). */
    static final String USER = "sa";

    private static final String FILE_URL = "jdbc:h2:file:";

    private H2Template() {}

    /**
     * Copies the template to the database file of these settings when they name an embedded H2
     * database that does not exist yet, with the template's user.
     *
     * @return whether the database was created from the template
     */
    static boolean createIfNew(DatabaseSettings settings) {
        String url = settings.url();
        if (!url.startsWith(FILE_URL)
                || !USER.equalsIgnoreCase(settings.user())
                || !settings.password().isEmpty()) {
            return false;
        }
        int end = url.indexOf(';');
        Path file =
                Path.of(url.substring(FILE_URL.length(), end < 0 ? url.length() : end) + ".mv.db");
        if (Files.exists(file)) {
            return false;
        }
        try (InputStream in = H2Template.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false; // built without a template (an IDE build): Flyway creates everything
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.debug("Created the database {} from the template", file);
            return true;
        } catch (IOException e) {
            LOG.warn("Could not create the database from its template; migrating from nothing", e);
            return false;
        }
    }

    /**
     * Makes the template (run by the build): migrates a new H2 database with this bundle's
     * migrations and writes it, compacted, to the file named by the first argument.
     */
    public static void main(String[] args) throws IOException, SQLException {
        Path out = Path.of(args[0]);
        Path dir = Files.createTempDirectory("ironbridge-h2-template");
        Path db = dir.resolve("template");
        String url = DatabaseSettings.h2Url(db);
        Flyway flyway =
                PooledDatabase.flyway(H2Template.class.getClassLoader(), Database.Dialect.H2)
                        .dataSource(url, USER, "")
                        .load();
        flyway.migrate();
        DataSource ds = flyway.getConfiguration().getDataSource();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.copy(dir.resolve("template.mv.db"), out, StandardCopyOption.REPLACE_EXISTING);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}

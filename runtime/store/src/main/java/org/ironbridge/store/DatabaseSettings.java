package org.ironbridge.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is and how to log in.
 *
 * @param url a JDBC URL ({@code jdbc:mariadb://…} or {@code jdbc:h2:…})
 * @param user the user, or empty
 * @param password the password, or empty; never logged
 * @param maxPoolSize the maximum number of pooled connections
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {
    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The embedded H2 database in the given data folder. */
    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(
                h2Url(dataDir.resolve("db").resolve("ironbridge")), "sa", "", 16);
    }

    /** An H2 URL for a database file, in MariaDB compatibility mode. */
    public static String h2Url(Path file) {
        return "jdbc:h2:file:"
                + file.toAbsolutePath()
                + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    public Database.Dialect dialect() {
        if (url.startsWith("jdbc:h2:")) {
            return Database.Dialect.H2;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return Database.Dialect.MARIADB;
        }
        throw new IllegalArgumentException(
                "Unsupported database URL (use jdbc:mariadb:// or jdbc:h2:): "
                        + url.replaceAll("password=[^&;]*", "password=***"));
    }

    /**
     * The JDBC driver class; always named, because DriverManager cannot see drivers in other
     * bundles.
     */
    public String driverClassName() {
        return dialect() == Database.Dialect.H2 ? "org.h2.Driver" : "org.mariadb.jdbc.Driver";
    }

    /** The URL without query parameters (which may carry a password). */
    public String redactedUrl() {
        int q = url.indexOf('?');
        int s = url.indexOf(';');
        int cut = q < 0 ? s : (s < 0 ? q : Math.min(q, s));
        return cut < 0 ? url : url.substring(0, cut);
    }
}

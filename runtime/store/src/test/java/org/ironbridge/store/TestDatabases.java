package org.ironbridge.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * The databases store tests run on: a fresh embedded H2 file and a fresh database on the real
 * MariaDB at 127.0.0.1:3306 (override with {@code
 * -Dironbridge.test.mariadb=jdbc:mariadb://host:port/} and {@code -Dironbridge.test.mariadb.user}).
 * MariaDB is never skipped: the test command provisions it.
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static Stream<DatabaseSettings> all(String name) throws Exception {
        return Stream.of(h2(name), mariadb(name));
    }

    public static DatabaseSettings h2(String name) throws Exception {
        // under target/ so that mvn clean removes it
        Path dir =
                Files.createTempDirectory(
                        Files.createDirectories(Path.of("target", "tmp").toAbsolutePath()), "h2-");
        return new DatabaseSettings(DatabaseSettings.h2Url(dir.resolve(name)), "sa", "", 8);
    }

    /**
     * The prefix of every MariaDB database the tests create: {@code -Dironbridge.test.db.prefix}
     * (default {@code ib_test_}), so that concurrent test runs on one server never collide.
     */
    public static String prefix() {
        return System.getProperty("ironbridge.test.db.prefix", "ib_test_");
    }

    /** Drops and recreates database {@code <prefix><name>} on MariaDB. */
    public static DatabaseSettings mariadb(String name) throws Exception {
        String base =
                System.getProperty("ironbridge.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
        String user = System.getProperty("ironbridge.test.mariadb.user", "root");
        String password = System.getProperty("ironbridge.test.mariadb.password", "");
        String db = prefix() + name;
        Class.forName("org.mariadb.jdbc.Driver");
        try (Connection c = DriverManager.getConnection(base, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return new DatabaseSettings(base + db, user, password, 8);
    }
}

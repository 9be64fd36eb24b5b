package org.ironbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New embedded databases start from the build's template, which is what Flyway would make. */
class H2TemplateTest {
    @TempDir Path dir;

    @Test
    void theBuildPackagedATemplate() {
        assertThat(H2Template.class.getResource(H2Template.RESOURCE)).isNotNull();
    }

    @Test
    void aNewDatabaseIsCreatedFromTheTemplateAndFlywayFindsNothingToDo() throws Exception {
        DatabaseSettings settings = DatabaseSettings.embedded(dir);
        try (PooledDatabase db = new PooledDatabase(settings)) {
            assertThat(dir.resolve("db/ironbridge.mv.db")).exists();
            MigrateResult result = db.migrate();
            assertThat(result.migrationsExecuted).isZero();
            assertThat(db.check()).isEmpty();
            assertThat(new OrganizationRepository(db.dataSource()).count()).isZero();
        }
    }

    @Test
    void aDatabaseFromTheTemplateHasTheSchemaFlywayMakesFromNothing() throws Exception {
        List<String> fromTemplate;
        try (PooledDatabase db = new PooledDatabase(DatabaseSettings.embedded(dir.resolve("a")))) {
            db.migrate();
            fromTemplate = schema(db);
        }
        // another user than the template's: Flyway runs every migration
        DatabaseSettings scratch =
                new DatabaseSettings(
                        DatabaseSettings.h2Url(dir.resolve("b").resolve("ironbridge")),
                        "owner",
                        "",
                        4);
        List<String> fromNothing;
        try (PooledDatabase db = new PooledDatabase(scratch)) {
            assertThat(db.migrate().migrationsExecuted).isGreaterThan(10);
            fromNothing = schema(db);
        }
        assertThat(fromTemplate).hasSizeGreaterThan(100).isEqualTo(fromNothing);
    }

    @Test
    void anExistingDatabaseFileIsNeverReplaced() throws Exception {
        DatabaseSettings settings = DatabaseSettings.embedded(dir);
        try (PooledDatabase db = new PooledDatabase(settings)) {
            db.migrate();
            new OrganizationRepository(db.dataSource())
                    .createWithAdminKey(
                            "org_1",
                            "Acme",
                            10,
                            "key_1",
                            "a".repeat(64),
                            "ibk_a",
                            java.time.Instant.now());
        }
        assertThat(H2Template.createIfNew(settings)).isFalse();
        try (PooledDatabase db = new PooledDatabase(settings)) {
            db.migrate();
            assertThat(new OrganizationRepository(db.dataSource()).count()).isEqualTo(1);
        }
    }

    @Test
    void otherUsersAndServerUrlsAreLeftToFlyway() throws Exception {
        Path file = dir.resolve("x");
        assertThat(
                        H2Template.createIfNew(
                                new DatabaseSettings(
                                        DatabaseSettings.h2Url(file), "sa", "secret", 2)))
                .isFalse();
        assertThat(
                        H2Template.createIfNew(
                                new DatabaseSettings("jdbc:h2:mem:x;MODE=MariaDB", "sa", "", 2)))
                .isFalse();
        assertThat(Files.exists(dir.resolve("x.mv.db"))).isFalse();
    }

    /**
     * Tables, columns (type, nullability, default), indexes with their columns, constraints, and
     * Flyway's history (version, script, checksum, success) in a stable order.
     */
    private static List<String> schema(PooledDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            query(
                    s,
                    "SELECT table_name, column_name, ordinal_position, data_type,"
                            + " character_maximum_length, is_nullable, column_default"
                            + " FROM information_schema.columns WHERE table_schema = 'public'"
                            + " ORDER BY table_name, ordinal_position",
                    out);
            query(
                    s,
                    "SELECT i.table_name, i.index_name, i.index_type_name, c.column_name,"
                            + " c.ordinal_position FROM information_schema.indexes i"
                            + " JOIN information_schema.index_columns c"
                            + " ON c.index_schema = i.index_schema AND c.index_name = i.index_name"
                            + " WHERE i.table_schema = 'public'"
                            + " ORDER BY i.table_name, i.index_name, c.ordinal_position",
                    out);
            query(
                    s,
                    "SELECT table_name, constraint_name, constraint_type"
                            + " FROM information_schema.table_constraints"
                            + " WHERE table_schema = 'public'"
                            + " ORDER BY table_name, constraint_name",
                    out);
            query(
                    s,
                    "SELECT \"version\", \"script\", \"checksum\", \"success\""
                            + " FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"",
                    out);
        }
        return out;
    }

    private static void query(Statement s, String sql, List<String> out) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                out.add(row.toString());
            }
        }
    }
}

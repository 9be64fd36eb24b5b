package org.ironbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PooledDatabaseTest {

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.all("store");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void migratesAndStoresOrganizationsWithHashedKeys(DatabaseSettings settings) {
        try (PooledDatabase db = new PooledDatabase(settings)) {
            assertThat(db.isMigrated()).isFalse();
            assertThat(db.check()).hasValueSatisfying(p -> assertThat(p).contains("not migrated"));

            // H2 starts from the template (H2TemplateTest), MariaDB runs every migration
            assertThat(db.migrate().migrationsExecuted)
                    .isGreaterThanOrEqualTo(settings.dialect() == Database.Dialect.H2 ? 0 : 1);
            assertThat(db.check()).isEmpty();
            // a second run is a no-op
            assertThat(db.migrate().migrationsExecuted).isZero();

            OrganizationRepository orgs = new OrganizationRepository(db.dataSource());
            assertThat(orgs.count()).isZero();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String hash = "a".repeat(64);
            orgs.createWithAdminKey("org_1", "Acme", 100, "key_1", hash, "ibk_abcd", now);

            assertThat(orgs.count()).isEqualTo(1);
            assertThat(orgs.find("org_1"))
                    .hasValueSatisfying(
                            o -> {
                                assertThat(o.name()).isEqualTo("Acme");
                                assertThat(o.creditPool()).isEqualTo(100);
                                assertThat(o.createdAt()).isEqualTo(now);
                            });
            assertThat(orgs.organizationOfAdminKey(hash)).contains("org_1");
            assertThat(orgs.organizationOfAdminKey("b".repeat(64))).isEmpty();
            assertThat(orgs.find("org_2")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aDuplicateKeyHashIsRejectedAndNothingIsWritten(DatabaseSettings settings) {
        try (PooledDatabase db = new PooledDatabase(settings)) {
            db.migrate();
            OrganizationRepository orgs = new OrganizationRepository(db.dataSource());
            Instant now = Instant.now();
            orgs.createWithAdminKey("org_a", "A", 10, "key_a", "c".repeat(64), "ibk_x", now);
            try {
                orgs.createWithAdminKey("org_b", "B", 10, "key_b", "c".repeat(64), "ibk_y", now);
            } catch (StoreException expected) {
                assertThat(expected).hasMessageContaining("Could not create organization");
            }
            // the transaction rolled back: no organization without its key
            assertThat(orgs.find("org_b")).isEmpty();
            assertThat(orgs.count()).isEqualTo(1);
        }
    }

    @org.junit.jupiter.api.Test
    void anUnreachableDatabaseIsReportedNotThrown() {
        DatabaseSettings nowhere =
                new DatabaseSettings("jdbc:mariadb://127.0.0.1:1/none", "root", "", 2);
        try (PooledDatabase db = new PooledDatabase(nowhere)) {
            assertThat(db.check())
                    .hasValueSatisfying(
                            p -> assertThat(p).startsWith("The database is unreachable"));
            assertThat(db.describe()).isEqualTo("MARIADB jdbc:mariadb://127.0.0.1:1/none");
        }
    }

    @org.junit.jupiter.api.Test
    void urlsWithPasswordsAreRedacted() {
        DatabaseSettings s =
                new DatabaseSettings("jdbc:mariadb://db:3306/ib?password=secret", "u", "p", 2);
        assertThat(s.redactedUrl()).isEqualTo("jdbc:mariadb://db:3306/ib");
    }
}

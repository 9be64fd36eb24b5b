package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private static final String FORMAT =
            "pbkdf2_sha256\\$%d\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}";

    @Test
    void theDefaultIsPbkdf2Sha256With600000IterationsInASelfDescribingForm() {
        PasswordHasher h = new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS);
        assertThat(PasswordHasher.DEFAULT_ITERATIONS).isEqualTo(600_000);
        String stored = h.hash("correct horse battery");
        assertThat(stored).matches(String.format(FORMAT, 600_000)).doesNotContain("horse");
        assertThat(h.verify("correct horse battery", stored)).isTrue();
        assertThat(h.needsRehash(stored)).isFalse();
    }

    @Test
    void aHashVerifiesOnlyItsPasswordAndEachHashHasItsOwnSalt() {
        PasswordHasher h = new PasswordHasher(1000);
        String a = h.hash("correct horse battery");
        String b = h.hash("correct horse battery");
        assertThat(a).matches(String.format(FORMAT, 1000)).isNotEqualTo(b);
        assertThat(a.split("\\$")[2]).isNotEqualTo(b.split("\\$")[2]);
        assertThat(h.verify("correct horse battery", a)).isTrue();
        assertThat(h.verify("correct horse battery", b)).isTrue();
        assertThat(h.verify("correct horse batterY", a)).isFalse();
        assertThat(h.verify("", a)).isFalse();
        assertThat(h.verify("correct horse battery ", a)).isFalse();
    }

    @Test
    void theStoredIterationCountIsUsedSoThatTheCostCanBeRaised() {
        String old = new PasswordHasher(1000).hash("correct horse battery");
        PasswordHasher stronger = new PasswordHasher(2000);
        assertThat(stronger.verify("correct horse battery", old)).isTrue();
        assertThat(stronger.needsRehash(old)).isTrue();
        assertThat(stronger.needsRehash(stronger.hash("correct horse battery"))).isFalse();
        // a weaker setting does not downgrade stronger hashes
        assertThat(new PasswordHasher(500).needsRehash(old)).isFalse();
    }

    @Test
    void passwordsAreComparedInUnicodeNormalForm() {
        PasswordHasher h = new PasswordHasher(1000);
        String composed = "caf\u00e9-cr\u00e8me-br\u00fbl\u00e9e";
        String decomposed = "cafe\u0301-cre\u0300me-bru\u0302le\u0301e";
        assertThat(h.verify(decomposed, h.hash(composed))).isTrue();
        assertThat(h.verify(composed, h.hash(decomposed))).isTrue();
    }

    @Test
    void malformedStoredHashesNeverMatchButCostAVerification() {
        PasswordHasher h = new PasswordHasher(1000);
        String good = h.hash("correct horse battery");
        String[] parts = good.split("\\$");
        for (String bad :
                new String[] {
                    null,
                    "",
                    "correct horse battery",
                    "md5$1000$" + parts[2] + "$" + parts[3],
                    "pbkdf2_sha256$x$" + parts[2] + "$" + parts[3],
                    "pbkdf2_sha256$0$" + parts[2] + "$" + parts[3],
                    "pbkdf2_sha256$1000$" + parts[2],
                    "pbkdf2_sha256$1000$!!$" + parts[3],
                    "pbkdf2_sha256$1000$$" + parts[3]
                }) {
            long before = h.derivations();
            assertThat(h.verify("correct horse battery", bad)).as("%s", bad).isFalse();
            assertThat(h.derivations() - before).as("derivations for %s", bad).isEqualTo(1);
            assertThat(h.needsRehash(bad)).isTrue();
        }
    }

    @Test
    void burningCostsOneDerivationAtTheCurrentCost() {
        PasswordHasher h = new PasswordHasher(1000);
        long before = h.derivations();
        h.burn("anything at all");
        h.burn(null);
        assertThat(h.derivations() - before).isEqualTo(2);
    }
}

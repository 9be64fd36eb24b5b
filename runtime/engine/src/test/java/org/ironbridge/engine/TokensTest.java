package org.ironbridge.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void tokensAreRandomPrefixedAndRecognized() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = Tokens.newToken(Tokens.ADMIN_KEY);
            assertThat(t).startsWith("ibk_").hasSize(36);
            assertThat(Tokens.looksLike(t, Tokens.ADMIN_KEY)).isTrue();
            assertThat(Tokens.looksLike(t, Tokens.CONNECTION_TOKEN)).isFalse();
            seen.add(t);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void malformedTokensAreNotRecognized() {
        assertThat(Tokens.looksLike(null, "ibk_")).isFalse();
        assertThat(Tokens.looksLike("ibk_short", "ibk_")).isFalse();
        assertThat(Tokens.looksLike("ibk_" + "a".repeat(129), "ibk_")).isFalse();
        assertThat(Tokens.looksLike("ibk_" + "a".repeat(20) + "-", "ibk_")).isFalse();
    }

    @Test
    void hashIsHexSha256AndStable() {
        assertThat(Tokens.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Tokens.hint("ibk_abcdefgh")).isEqualTo("ibk_abcd");
    }

    @Test
    void timeOrderedIdsSortByCreationTimeAlsoCaseInsensitivelyAndAreUnique() throws Exception {
        String first = Tokens.newTimeOrderedId("evt");
        Thread.sleep(3);
        Set<String> seen = new HashSet<>();
        String previous = first;
        for (int i = 0; i < 1000; i++) {
            String id = Tokens.newTimeOrderedId("evt");
            assertThat(id).matches("evt_[0-9a-z]{9}[0-9A-Za-z]{14}");
            // the time part never goes backwards; ids of the same millisecond may come in any order
            assertThat(id.substring(0, 13)).isGreaterThanOrEqualTo(previous.substring(0, 13));
            previous = id;
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
        String last = Tokens.newTimeOrderedId("evt");
        assertThat(last.compareTo(first)).isPositive();
        assertThat(last.toLowerCase().compareTo(first.toLowerCase())).isPositive();
    }
}

package org.ironbridge.engine.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Removes secrets from what the request log keeps: headers, query strings, bodies and source URLs.
 *
 * <p>A value is redacted when its name says it is a secret ({@link #secretName}: {@code
 * Authorization}, {@code password}, {@code client_secret}, {@code api_key}, anything under {@code
 * credentials} ...), and Ironbridge tokens ({@code ibk_}, {@code ibt_}, {@code ibs_}, {@code ibc_},
 * {@code whsec_} followed by at least 8 token characters) are redacted wherever they appear.
 * Everything here runs on the log writer's thread over bodies already cut to the configured size,
 * in one pass each: no regular expressions.
 */
final class Redactor {
    static final String REDACTED = "[REDACTED]";

    private static final String[] TOKEN_PREFIXES = {"ibk_", "ibt_", "ibs_", "ibc_", "whsec_"};
    private static final int MIN_TOKEN_CHARS = 8;
    private static final JsonFactory JSON = new JsonFactory();

    /** Names (lower case, {@code -} read as {@code _}) whose values are always secrets. */
    private static final Set<String> SECRET_NAMES =
            Set.of(
                    "authorization",
                    "proxy_authorization",
                    "cookie",
                    "set_cookie",
                    "auth",
                    "pass",
                    "passwd",
                    "pwd",
                    "key",
                    "apikey",
                    "sig",
                    "signature",
                    "session",
                    "sessionid",
                    "session_id",
                    "jsessionid",
                    "credentials");

    private Redactor() {}

    /**
     * Whether a header, field or parameter of this name holds a secret: the names above, and any
     * name containing {@code password}, {@code secret}, {@code token}, {@code credential} or ending
     * in {@code _key} or {@code apikey}.
     */
    static boolean secretName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
        if (n.startsWith("x_")) {
            n = n.substring(2);
        }
        return SECRET_NAMES.contains(n)
                || n.contains("password")
                || n.contains("secret")
                || n.contains("token")
                || n.contains("credential")
                || n.endsWith("_key")
                || n.endsWith("apikey");
    }

    /** Replaces the characters of Ironbridge tokens in a text by {@link #REDACTED}. */
    static String tokens(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != 'i' && c != 'w') {
                continue;
            }
            for (String prefix : TOKEN_PREFIXES) {
                if (s.startsWith(prefix, i)) {
                    boolean base64 = prefix.equals("whsec_");
                    int start = i + prefix.length();
                    int end = start;
                    while (end < n && tokenChar(s.charAt(end), base64)) {
                        end++;
                    }
                    if (end - start >= MIN_TOKEN_CHARS) {
                        if (out == null) {
                            out = new StringBuilder(n);
                        }
                        out.append(s, copied, start).append(REDACTED);
                        copied = end;
                    }
                    i = end - 1;
                    break;
                }
            }
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }

    /** API keys and tokens are base62; webhook secrets are base64. */
    private static boolean tokenChar(char c, boolean base64) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || (base64 && (c == '+' || c == '/' || c == '='));
    }

    /**
     * Headers as one map of lower-case names to values (several values joined by {@code ", "}),
     * secrets redacted.
     */
    static Map<String, String> headers(Map<String, List<String>> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers == null) {
            return out;
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() == null) {
                continue;
            }
            String name = h.getKey().toLowerCase(Locale.ROOT);
            List<String> values = h.getValue();
            String value =
                    values == null || values.isEmpty()
                            ? ""
                            : values.size() == 1 ? values.get(0) : String.join(", ", values);
            out.put(name, secretName(name) ? REDACTED : tokens(value));
        }
        return out;
    }

    /**
     * {@link #headers} as a JSON object ({@code {"name":"value",...}}), written directly: the form
     * the request log stores.
     */
    static String headersJson(Map<String, List<String>> headers) {
        if (headers == null || headers.isEmpty()) {
            return "{}";
        }
        int size = headers.size();
        String[] names = new String[size];
        String[] values = new String[size];
        int n = 0;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() == null) {
                continue;
            }
            String name = h.getKey().toLowerCase(Locale.ROOT);
            List<String> v = h.getValue();
            String value =
                    v == null || v.isEmpty() ? "" : v.size() == 1 ? v.get(0) : String.join(", ", v);
            value = secretName(name) ? REDACTED : tokens(value);
            int at = 0;
            while (at < n && !names[at].equals(name)) {
                at++;
            }
            // a name seen before keeps its place and takes the later value, as in headers()
            names[at] = name;
            values[at] = value;
            n = Math.max(n, at + 1);
        }
        StringBuilder sb = new StringBuilder(32 * n + 2).append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            jsonString(sb, names[i]).append(':');
            jsonString(sb, values[i]);
        }
        return sb.append('}').toString();
    }

    /** Appends a JSON string literal. */
    private static StringBuilder jsonString(StringBuilder sb, String s) {
        sb.append('"');
        int from = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '"' && c != '\\' && c >= 0x20) {
                continue;
            }
            sb.append(s, from, i).append('\\');
            switch (c) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '\n' -> sb.append('n');
                case '\r' -> sb.append('r');
                case '\t' -> sb.append('t');
                default -> sb.append(String.format(Locale.ROOT, "u%04x", (int) c));
            }
            from = i + 1;
        }
        return sb.append(s, from, n).append('"');
    }

    /**
     * A query string ({@code a=1&b=2}, raw) with the values of secret-looking parameters redacted
     * (and of {@code code}, the one-time code of redirect flows).
     */
    static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int start = 0;
        while (start <= raw.length()) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? raw.length() : amp;
            String pair = raw.substring(start, end);
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String decoded = eq < 0 ? null : decode(name);
            if (eq >= 0 && (secretName(decoded) || decoded.equalsIgnoreCase("code"))) {
                out.append(name).append('=').append(REDACTED);
            } else {
                out.append(tokens(pair));
            }
            if (amp < 0) {
                break;
            }
            out.append('&');
            start = amp + 1;
        }
        return out.toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** A source URL without user info and fragment, secret query parameters redacted. */
    static String url(URI uri) {
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            sb.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            sb.append(tokens(uri.getRawPath()));
        }
        if (uri.getRawQuery() != null) {
            sb.append('?').append(query(uri.getRawQuery()));
        }
        return sb.toString();
    }

    /**
     * A body as text with its secrets redacted: JSON field by field, form data parameter by
     * parameter, other text by a scan for {@code name: value} and {@code name=value} pairs. Bodies
     * that are not text are described, not shown.
     *
     * @param truncated whether the bytes are only the start of the body
     */
    static String body(byte[] bytes, int length, String contentType, boolean truncated) {
        return new String(bodyUtf8(bytes, length, contentType, truncated), StandardCharsets.UTF_8);
    }

    /**
     * {@link #body} as UTF-8, the form the request log stores: when the bytes hold nothing to
     * redact ({@link #mayHoldSecrets}) they are returned as they are (the same array when {@code
     * length} covers it), without decoding them to a string and encoding them again.
     */
    static byte[] bodyUtf8(byte[] bytes, int length, String contentType, boolean truncated) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!textual(type)) {
            return ("[" + length + (truncated ? "+" : "") + " bytes of " + contentType + "]")
                    .getBytes(StandardCharsets.UTF_8);
        }
        int json = type.contains("json") ? 1 : type.isEmpty() ? looksLikeJson(bytes, length) : 0;
        if (json >= 0 && !(json == 1 && truncated) && !mayHoldSecrets(bytes, length)) {
            // what the redaction below would return, without parsing
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        String redacted;
        if (json == 1 || (json < 0 && looksLikeJson(text))) {
            redacted = json(text, truncated);
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            redacted = query(text);
        } else {
            redacted = text(text);
        }
        return redacted.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #mayHoldSecrets(byte[], int)} of a string's UTF-8 form. */
    static boolean mayHoldSecrets(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return mayHoldSecrets(b, b.length);
    }

    /**
     * The bytes that may start something {@link #mayHoldSecrets} looks for: the first letters of
     * the words below in either case, {@code %}, a backslash, and the lead bytes of the only
     * characters outside ASCII that change case into ASCII letters (U+0130 and U+0131 start with
     * 0xC4, U+017F with 0xC5, the Kelvin sign U+212A with 0xE2).
     */
    private static final boolean[] START = new boolean[256];

    static {
        for (char c : "acikpstwACIKPSTW%\\".toCharArray()) {
            START[c] = true;
        }
        START[0xC4] = true;
        START[0xC5] = true;
        START[0xE2] = true;
    }

    /**
     * Whether UTF-8 text may hold something {@link #body} redacts: false only when it contains none
     * of the words every secret name contains ({@code auth}, {@code cookie}, {@code code}, {@code
     * credential}, {@code key}, {@code pass}, {@code pwd}, {@code secret}, {@code session}, {@code
     * sig}, {@code token}, in any case), no token prefix, nothing that decodes to other characters
     * ({@code %} of form data, a backslash and u in JSON) and none of the four characters outside
     * ASCII whose upper or lower case is an ASCII letter (so that {@code toLowerCase} cannot turn
     * them into one of the words). One pass over the bytes, a table lookup per byte, no allocation:
     * most bodies (the records of the data API) hold no secrets, and decoding and parsing them only
     * to copy them cost most of the log writer's time.
     */
    static boolean mayHoldSecrets(byte[] s, int n) {
        for (int i = 0; i < n; i++) {
            int c = s[i] & 0xFF;
            if (!START[c]) {
                continue;
            }
            boolean hit =
                    switch (c | 0x20) {
                        case 'a' -> word(s, n, i, "auth");
                        case 'c' ->
                                word(s, n, i, "cookie")
                                        || word(s, n, i, "code")
                                        || word(s, n, i, "credential");
                        case 'k' -> word(s, n, i, "key");
                        case 'p' -> word(s, n, i, "pass") || word(s, n, i, "pwd");
                        case 's' ->
                                word(s, n, i, "sig")
                                        || word(s, n, i, "secret")
                                        || word(s, n, i, "session");
                        case 't' -> word(s, n, i, "token");
                        case 'i' ->
                                c == 'i'
                                        && i + 3 < n
                                        && s[i + 1] == 'b'
                                        && (s[i + 2] == 'k'
                                                || s[i + 2] == 't'
                                                || s[i + 2] == 's'
                                                || s[i + 2] == 'c')
                                        && s[i + 3] == '_';
                        case 'w' -> c == 'w' && startsWith(s, n, i, "whsec_");
                        case '%' | 0x20 -> c == '%';
                        case '\\' | 0x20 -> c == '\\' && i + 1 < n && s[i + 1] == 'u';
                        default -> // 0xC4, 0xC5, 0xE2 (| 0x20 leaves them at 0xE4, 0xE5, 0xE2)
                                foldsIntoAscii(s, n, i);
                    };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a lower-case ASCII word starts at {@code i}, in any case. A character outside ASCII
     * inside the word counts as a match: {@link #foldsIntoAscii} is checked where it starts.
     */
    private static boolean word(byte[] s, int n, int i, String word) {
        int len = word.length();
        if (i + len > n) {
            return false;
        }
        for (int j = 1; j < len; j++) {
            int c = s[i + j] & 0xFF;
            if (c >= 0x80) {
                return foldsIntoAscii(s, n, i + j);
            }
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] s, int n, int i, String ascii) {
        if (i + ascii.length() > n) {
            return false;
        }
        for (int j = 0; j < ascii.length(); j++) {
            if (s[i + j] != ascii.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** Whether U+0130, U+0131, U+017F or U+212A starts at {@code i}. */
    private static boolean foldsIntoAscii(byte[] s, int n, int i) {
        int c = s[i] & 0xFF;
        int c1 = i + 1 < n ? s[i + 1] & 0xFF : -1;
        return (c == 0xC4 && (c1 == 0xB0 || c1 == 0xB1))
                || (c == 0xC5 && c1 == 0xBF)
                || (c == 0xE2 && c1 == 0x84 && i + 2 < n && (s[i + 2] & 0xFF) == 0xAA);
    }

    private static boolean textual(String type) {
        return type.isEmpty()
                || type.startsWith("text/")
                || type.contains("json")
                || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded")
                || type.startsWith("application/javascript");
    }

    /**
     * Whether UTF-8 text starts (after ASCII white space) with {@code {} or {@code [}: 1 yes, 0
     * no, -1 when a character outside ASCII comes first ({@link #looksLikeJson(String)} decides).
     */
    private static int looksLikeJson(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x80) {
                return -1;
            }
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[' ? 1 : 0;
            }
        }
        return 0;
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    /**
     * JSON copied token by token: the values of secret fields (whole objects and arrays too) become
     * {@link #REDACTED}, strings lose their tokens. A body cut short ends where its last whole
     * token ended, followed by {@code …}; JSON that is not valid falls back to {@link #text}.
     */
    static String json(String text, boolean truncated) {
        StringWriter w = new StringWriter(text.length());
        try (JsonParser p = JSON.createParser(text);
                JsonGenerator g = JSON.createGenerator(w)) {
            try {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    switch (t) {
                        case FIELD_NAME -> {
                            String name = p.currentName();
                            g.writeFieldName(name);
                            if (secretName(name)) {
                                JsonToken value = p.nextToken();
                                if (value == JsonToken.START_OBJECT
                                        || value == JsonToken.START_ARRAY) {
                                    p.skipChildren();
                                }
                                g.writeString(REDACTED);
                            }
                        }
                        case VALUE_STRING -> g.writeString(tokens(p.getText()));
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
                        default -> g.copyCurrentEvent(p);
                    }
                }
                g.flush();
                return w.toString();
            } catch (IOException | RuntimeException cut) {
                if (!truncated) {
                    return text(text);
                }
                g.flush();
                return w + "…";
            }
        } catch (IOException | RuntimeException e) {
            return text(text);
        }
    }

    /**
     * Text scanned once for {@code "name": value}, {@code name: value} and {@code name=value}
     * pairs: the values of secret names are redacted (a quoted string, a bracketed object or array,
     * or up to the next separator), then tokens anywhere.
     */
    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int nameStart;
            int nameEnd;
            int after;
            if (c == '"') {
                nameStart = i + 1;
                nameEnd = endOfString(s, nameStart);
                after = Math.min(n, nameEnd + 1);
            } else if (nameChar(c) && (i == 0 || !nameChar(s.charAt(i - 1)))) {
                nameStart = i;
                nameEnd = i;
                while (nameEnd < n && nameChar(s.charAt(nameEnd))) {
                    nameEnd++;
                }
                after = nameEnd;
            } else {
                out.append(c);
                i++;
                continue;
            }
            int sep = after;
            while (sep < n && s.charAt(sep) == ' ') {
                sep++;
            }
            boolean pair = sep < n && (s.charAt(sep) == ':' || s.charAt(sep) == '=');
            if (!pair || !secretName(s.substring(nameStart, Math.min(nameEnd, n)))) {
                out.append(s, i, after);
                i = after;
                continue;
            }
            int valueStart = sep + 1;
            while (valueStart < n && s.charAt(valueStart) == ' ') {
                valueStart++;
            }
            boolean quoted = valueStart < n && s.charAt(valueStart) == '"';
            out.append(s, i, valueStart).append(quoted ? "\"" + REDACTED + "\"" : REDACTED);
            i = endOfValue(s, valueStart);
        }
        return tokens(out.toString());
    }

    private static boolean nameChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '-'
                || c == '.';
    }

    /** The index of the closing quote of a string starting at {@code from} (or the end). */
    private static int endOfString(String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '"') {
                return i;
            }
            i++;
        }
        return s.length();
    }

    /** The index just after a value starting at {@code from}. */
    private static int endOfValue(String s, int from) {
        int n = s.length();
        if (from >= n) {
            return n;
        }
        char c = s.charAt(from);
        if (c == '"') {
            return Math.min(n, endOfString(s, from + 1) + 1);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            int i = from;
            while (i < n) {
                char d = s.charAt(i);
                if (d == '"') {
                    i = endOfString(s, i + 1) + 1;
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            return n;
        }
        int i = from;
        while (i < n) {
            char d = s.charAt(i);
            if (d == ',' || d == '&' || d == ';' || d == '}' || d == ']' || d == '\n' || d == '\r'
                    || d == ' ' || d == '\t') {
                return i;
            }
            i++;
        }
        return n;
    }
}

package org.ironbridge.api.connector;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A raw request to the source, relative to the connection's base URL, sent with the connection's
 * authentication.
 *
 * @param method the HTTP method, upper case
 * @param path the path relative to the source's API root, starting with {@code /}
 * @param query query parameters
 * @param headers extra headers; the connector adds authentication and must drop any client-sent
 *     {@code Authorization}
 * @param body the body, or null
 */
public record PassthroughRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, String> headers,
        String body) {
    public PassthroughRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}

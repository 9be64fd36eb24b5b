package org.ironbridge.api.connector;

import java.util.Map;

/**
 * The source's raw answer to a {@link PassthroughRequest}.
 *
 * @param status the HTTP status the source answered with
 * @param headers response headers (without cookies or credentials)
 * @param body the body as text, or null
 */
public record PassthroughResponse(int status, Map<String, String> headers, String body) {
    public PassthroughResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}

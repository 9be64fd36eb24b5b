package org.ironbridge.api.connector;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The HTTP client the runtime provides to sessions. It applies the connection's timeouts and rate
 * limit, and records every call (method, URL without credentials, status, duration) in the request
 * log of the API request it serves.
 */
@ProviderType
public interface SourceHttpClient {

    /**
     * Sends a request and returns the response, whatever its status code.
     *
     * <p>Blocks the calling thread until the response arrives or the timeout passes.
     *
     * @throws ConnectorException {@link ConnectorException.Kind#SOURCE_UNAVAILABLE} when the source
     *     cannot be reached, the connection is refused or reset, or the timeout passes
     */
    HttpResponse<byte[]> send(HttpRequest request) throws ConnectorException;
}

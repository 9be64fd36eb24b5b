package ${package}.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.CredentialField.Type;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.model.EntityType;
import org.osgi.service.component.annotations.Component;

/**
 * The bundle's one DS component: it describes the connector and opens one session per connection.
 *
 * <p>The descriptor is data that the runtime, the admin API and the console read without calling
 * the connector. Declare exactly what {@link RestSession} implements: the conformance test holds
 * the session to the descriptor, and an operation that is not declared must fail as not supported.
 */
@Component(service = ConnectorFactory.class)
public final class ConnectorFactoryComponent implements ConnectorFactory {

    /** The system's display name, also used in failure messages. */
    static final String SYSTEM_NAME = "${systemName}";

    static final ConnectorDescriptor DESCRIPTOR =
            ConnectorDescriptor.builder("${systemId}")
                    .name(SYSTEM_NAME)
                    .vendor("${vendor}")
                    .category(Category.CMMS)
                    .deployment(Deployment.CLOUD, 1)
                    .deployment(Deployment.ON_PREM, 2)
                    .credentialField(
                            new CredentialField(
                                    "url",
                                    "Server URL",
                                    Type.URL,
                                    true,
                                    "The address of the server, e.g. https://cmms.example.com/.",
                                    List.of(),
                                    null))
                    .credentialField(
                            new CredentialField(
                                    "api_token",
                                    "API token",
                                    Type.SECRET,
                                    true,
                                    "The API token of a user who may read and write work orders.",
                                    List.of(),
                                    null))
                    .entity(
                            EntityType.WORK_ORDERS,
                            new EntityCapabilities(
                                    EnumSet.of(
                                            Operation.LIST,
                                            Operation.GET,
                                            Operation.CREATE,
                                            Operation.UPDATE),
                                    true,
                                    false))
                    .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Checks the credential values without calling the source: a session connects lazily. */
    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        URI base = baseUrl(credentials.require("url"));
        String token = credentials.require("api_token");
        return new RestSession(new RestClient(context.http(), base, token));
    }

    /** The server URL with a trailing slash, so that relative API paths resolve below it. */
    private static URI baseUrl(String url) throws ConnectorException {
        try {
            URI uri = new URI(url.endsWith("/") ? url : url + "/");
            String scheme = uri.getScheme();
            if (uri.getHost() != null && ("http".equals(scheme) || "https".equals(scheme))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, like a URL of another scheme
        }
        throw ConnectorException.validationFailed(
                "Invalid credential field url",
                List.of(new FieldError("credentials.url", "must be an http(s) URL")));
    }
}

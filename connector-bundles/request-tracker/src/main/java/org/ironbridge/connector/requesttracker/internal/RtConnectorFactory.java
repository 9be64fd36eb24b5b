package org.ironbridge.connector.requesttracker.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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
 * The Request Tracker 5 connector (REST2): assets, and tickets of two queues as work orders and
 * service requests. The bundle's one DS component.
 */
@Component(service = ConnectorFactory.class)
public final class RtConnectorFactory implements ConnectorFactory {
    static final String DEFAULT_WORK_ORDER_QUEUE = "Work orders";
    static final String DEFAULT_SERVICE_REQUEST_QUEUE = "Service requests";

    static final ConnectorDescriptor DESCRIPTOR =
            ConnectorDescriptor.builder("request-tracker")
                    .name("Request Tracker")
                    .vendor("Best Practical")
                    .category(Category.CMMS)
                    .deployment(Deployment.CLOUD, 1)
                    .deployment(Deployment.ON_PREM, 2)
                    .credentialField(
                            new CredentialField(
                                    "url",
                                    "RT address",
                                    Type.URL,
                                    true,
                                    "The address you open RT at, e.g. https://rt.example.com/rt/"
                                            + " (its REST2 API is below it, at REST/2.0/).",
                                    List.of(),
                                    null))
                    .credentialField(
                            CredentialField.optional(
                                    "username",
                                    "User name",
                                    Type.TEXT,
                                    null,
                                    "An RT user who may see and change tickets in both queues"
                                            + " and see the assets; not needed with an auth"
                                            + " token."))
                    .credentialField(
                            CredentialField.optional(
                                    "password", "Password", Type.SECRET, null, "Its password."))
                    .credentialField(
                            CredentialField.optional(
                                    "token",
                                    "Auth token",
                                    Type.SECRET,
                                    null,
                                    "Instead of user name and password: an RT auth token"
                                            + " (Logged in as → Settings → Auth Tokens)."))
                    .credentialField(
                            CredentialField.optional(
                                    "work_order_queue",
                                    "Work-order queue",
                                    Type.TEXT,
                                    DEFAULT_WORK_ORDER_QUEUE,
                                    "The RT queue whose tickets are work orders."))
                    .credentialField(
                            CredentialField.optional(
                                    "service_request_queue",
                                    "Service-request queue",
                                    Type.TEXT,
                                    DEFAULT_SERVICE_REQUEST_QUEUE,
                                    "The RT queue whose tickets are service requests."))
                    .credentialField(
                            CredentialField.optional(
                                    "asset_catalog",
                                    "Asset catalog",
                                    Type.TEXT,
                                    null,
                                    "Read only the assets of this catalog; empty for all"
                                            + " catalogs. New assets go into it."))
                    .entity(
                            EntityType.ASSETS,
                            new EntityCapabilities(EnumSet.allOf(Operation.class), true, false))
                    .entity(
                            EntityType.WORK_ORDERS,
                            new EntityCapabilities(EnumSet.allOf(Operation.class), true, false))
                    .entity(EntityType.SERVICE_REQUESTS, EntityCapabilities.readOnly(true, false))
                    .build();

    public RtConnectorFactory() {}

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        URI base = base(credentials.require("url"));
        Optional<String> token = nonBlank(credentials, "token");
        Optional<String> username = nonBlank(credentials, "username");
        Optional<String> password = credentials.get("password").filter(p -> !p.isEmpty());
        if (token.isEmpty() && (username.isEmpty() || password.isEmpty())) {
            throw ConnectorException.validationFailed(
                    "Request Tracker needs a user name and password, or an auth token",
                    List.of(
                            new FieldError(
                                    username.isEmpty()
                                            ? "credentials.username"
                                            : "credentials.password",
                                    "required unless an auth token is given")));
        }
        RtSettings settings =
                new RtSettings(
                        nonBlank(credentials, "work_order_queue").orElse(DEFAULT_WORK_ORDER_QUEUE),
                        nonBlank(credentials, "service_request_queue")
                                .orElse(DEFAULT_SERVICE_REQUEST_QUEUE),
                        nonBlank(credentials, "asset_catalog").orElse(null));
        RtClient client =
                new RtClient(
                        context.http(),
                        context.clock(),
                        base,
                        username.orElse(null),
                        password.orElse(null),
                        token.orElse(null));
        return new RtSession(client, settings);
    }

    /**
     * RT's web root from the url field: http(s) only, with a trailing slash; a pasted REST2 address
     * ({@code …/REST/2.0}) is accepted too.
     */
    static URI base(String url) throws ConnectorException {
        String u = url.trim();
        u = u.replaceFirst("(?i)/REST/2\\.0/?$", "/");
        if (!u.endsWith("/")) {
            u = u + "/";
        }
        try {
            URI root = new URI(u);
            if (root.getScheme() == null
                    || !(root.getScheme().equals("http") || root.getScheme().equals("https"))
                    || root.getHost() == null
                    || root.getQuery() != null) {
                throw new URISyntaxException(url, "not an http(s) URL");
            }
            return root;
        } catch (URISyntaxException e) {
            throw ConnectorException.validationFailed(
                    "Invalid credential field url",
                    List.of(new FieldError("credentials.url", "must be an http(s) URL")));
        }
    }

    private static Optional<String> nonBlank(Credentials c, String name) {
        return c.get(name).map(String::trim).filter(s -> !s.isEmpty());
    }
}

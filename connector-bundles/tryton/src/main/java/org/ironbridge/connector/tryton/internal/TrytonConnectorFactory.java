package org.ironbridge.connector.tryton.internal;

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

/** The Tryton ERP connector (Tryton 6.0, JSON-RPC): the bundle's one DS component. */
@Component(service = ConnectorFactory.class)
public final class TrytonConnectorFactory implements ConnectorFactory {

    static final ConnectorDescriptor DESCRIPTOR =
            ConnectorDescriptor.builder("tryton")
                    .name("Tryton ERP")
                    .vendor("Tryton")
                    .category(Category.ERP)
                    .deployment(Deployment.CLOUD, 1)
                    .deployment(Deployment.ON_PREM, 2)
                    .credentialField(
                            new CredentialField(
                                    "url",
                                    "Server URL",
                                    Type.URL,
                                    true,
                                    "The address of the Tryton server, e.g."
                                            + " https://erp.example.com/.",
                                    List.of(),
                                    null))
                    .credentialField(
                            new CredentialField(
                                    "database",
                                    "Database",
                                    Type.TEXT,
                                    true,
                                    "The name of the Tryton database to connect to.",
                                    List.of(),
                                    null))
                    .credentialField(
                            new CredentialField(
                                    "username",
                                    "User name",
                                    Type.TEXT,
                                    true,
                                    "A Tryton user with the Purchase and Stock groups.",
                                    List.of(),
                                    null))
                    .credentialField(
                            new CredentialField(
                                    "password",
                                    "Password",
                                    Type.SECRET,
                                    true,
                                    null,
                                    List.of(),
                                    null))
                    .entity(
                            EntityType.VENDORS,
                            new EntityCapabilities(
                                    EnumSet.of(
                                            Operation.LIST,
                                            Operation.GET,
                                            Operation.CREATE,
                                            Operation.UPDATE),
                                    true,
                                    false))
                    .entity(
                            EntityType.ITEMS,
                            new EntityCapabilities(
                                    EnumSet.of(
                                            Operation.LIST,
                                            Operation.GET,
                                            Operation.CREATE,
                                            Operation.UPDATE),
                                    true,
                                    false))
                    .entity(EntityType.LOCATIONS, EntityCapabilities.readOnly(true, false))
                    .entity(EntityType.STOCK_LEVELS, EntityCapabilities.readOnly(true, false))
                    .entity(
                            EntityType.PURCHASE_ORDERS,
                            new EntityCapabilities(EnumSet.allOf(Operation.class), true, false))
                    .build();

    public TrytonConnectorFactory() {}

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        String url = credentials.require("url");
        URI root;
        try {
            root = new URI(url.endsWith("/") ? url : url + "/");
            if (root.getScheme() == null
                    || !(root.getScheme().equals("http") || root.getScheme().equals("https"))
                    || root.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw ConnectorException.validationFailed(
                    "Invalid credential field url",
                    List.of(new FieldError("credentials.url", "must be an http(s) URL")));
        }
        String database = credentials.require("database");
        TrytonClient client =
                new TrytonClient(
                        context.http(),
                        root,
                        database,
                        credentials.require("username"),
                        credentials.require("password"));
        return new TrytonSession(client);
    }
}

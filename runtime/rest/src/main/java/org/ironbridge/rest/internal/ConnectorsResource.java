package org.ironbridge.rest.internal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataMultiPart;
import org.ironbridge.engine.ConnectorInstaller;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.InstalledConnector;

/**
 * The connectors installed right now ({@code GET /v1/admin/connectors}), and hot install and
 * removal of connector bundles: {@code POST} a jar as the multipart field {@code bundle}, {@code
 * DELETE /v1/admin/connectors/{system}}. Connectors are shared by every organization of the server,
 * so any admin key may manage them (a server is run by one operator).
 */
@Path("/v1/admin/connectors")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectorsResource {
    private final Services services;

    public ConnectorsResource(Services services) {
        this.services = services;
    }

    @GET
    public Map<String, List<Representations.Connector>> list() {
        ConnectorRegistry registry = services.require(services.connectors);
        return Map.of(
                "data", registry.installed().stream().map(Representations::connector).toList());
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response install(FormDataMultiPart form) throws EngineException {
        ConnectorInstaller installer = services.require(services.installer);
        FormDataBodyPart part = form == null ? null : form.getField("bundle");
        if (part == null) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "Send the connector jar as the multipart form field \"bundle\".",
                    List.of(new Problem.FieldProblem("bundle", "is required")),
                    null);
        }
        java.nio.file.Path tmp = null;
        try {
            tmp = Files.createTempFile("ironbridge-upload-", ".jar");
            try (InputStream in = part.getValueAs(InputStream.class)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            List<InstalledConnector> installed = installer.install(tmp);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", installed.stream().map(Representations::connector).toList());
            return Response.created(URI.create("/v1/admin/connectors/" + installed.get(0).system()))
                    .entity(body)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    @DELETE
    @Path("{system}")
    public Response uninstall(@PathParam("system") String system) throws EngineException {
        services.require(services.installer).uninstall(system);
        return Response.noContent().build();
    }
}

package org.ironbridge.rest.internal;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import jakarta.servlet.Servlet;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.jersey.media.multipart.MultiPartFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.ironbridge.engine.AdminAuthenticator;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.ConnectorInstaller;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.IdempotencyService;
import org.ironbridge.engine.RecordService;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.WebhookService;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.store.Database;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The one Jersey application of Ironbridge, registered on the servlet whiteboard at {@code /*}.
 * Runtime services are optional dynamic references, so the HTTP API (and its health endpoints) is
 * up even while the database is not.
 */
@Component(immediate = true)
public final class RestComponent {
    static final long DEFAULT_BODY_LIMIT = 1024 * 1024;

    /** Seconds after Jersey's initialization when {@link ApiReady} is registered at the latest. */
    static final long READY_FALLBACK_SECONDS = 3;

    private final Services services = new Services();
    private ServiceRegistration<Servlet> registration;
    private ServiceRegistration<ApiReady> ready;
    private final AtomicBoolean readyAnnounced = new AtomicBoolean();
    private boolean stopped;

    @Activate
    public RestComponent(BundleContext ctx) {
        String limit = ctx.getProperty("ironbridge.http.max_body_bytes");
        long bodyLimit = limit == null ? DEFAULT_BODY_LIMIT : Long.parseLong(limit);
        services.publicUrl = ctx.getProperty("ironbridge.public_url");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "ironbridge-api");
        // Building the application (Jersey introspects every resource and provider) and
        // registering the servlet, which runs Jersey's initialization in the registering thread
        // (about a second on a cold JVM, the longest step before the server is ready), happen on a
        // thread of their own: the framework's start-level thread goes on starting the engine and
        // the other bundles meanwhile (this bundle has a start level of its own, before theirs).
        Thread init =
                new Thread(
                        () -> {
                            HttpMetrics metrics = new HttpMetrics();
                            ResourceConfig config = application(services, bodyLimit, metrics);
                            // The resource model is checked by every test that builds this
                            // application (with the same classes): checking it again at each start
                            // costs about a tenth of Jersey's initialization.
                            config.property(ServerProperties.RESOURCE_VALIDATION_DISABLE, true);
                            RecordReadFastPath fastPath = new RecordReadFastPath(services, metrics);
                            ServiceRegistration<Servlet> r;
                            try {
                                r =
                                        ctx.registerService(
                                                Servlet.class,
                                                new JerseyServlet(config, fastPath),
                                                props);
                            } catch (IllegalStateException bundleStopped) {
                                return;
                            }
                            synchronized (this) {
                                if (!stopped) {
                                    registration = r;
                                    // the whiteboard has initialized the servlet by now
                                    services.onReady = () -> announceReady(ctx);
                                    startReadyFallback(ctx);
                                    return;
                                }
                            }
                            unregister(r);
                        },
                        "ironbridge-rest-init");
        init.setDaemon(true);
        init.start();
    }

    /** Registers {@link ApiReady} after the fallback delay if /health/ready has not done it. */
    private void startReadyFallback(BundleContext ctx) {
        Thread fallback =
                new Thread(
                        () -> {
                            try {
                                TimeUnit.SECONDS.sleep(READY_FALLBACK_SECONDS);
                            } catch (InterruptedException e) {
                                return;
                            }
                            announceReady(ctx);
                        },
                        "ironbridge-ready-fallback");
        fallback.setDaemon(true);
        fallback.start();
    }

    /**
     * Registers {@link ApiReady}, once: /health/ready answered 200, or the fallback delay passed.
     */
    private void announceReady(BundleContext ctx) {
        if (!readyAnnounced.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                ready = ctx.registerService(ApiReady.class, new ApiReady() {}, null);
            } catch (IllegalStateException bundleStopped) {
                // stopping
            }
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered by the framework while the bundle stops
        }
    }

    /** The Jersey application; also used by in-memory tests. */
    static ResourceConfig application(Services services, long bodyLimit) {
        return application(services, bodyLimit, new HttpMetrics());
    }

    /** The Jersey application, timing its requests into {@code metrics}. */
    static ResourceConfig application(Services services, long bodyLimit, HttpMetrics metrics) {
        ResourceConfig rc = new ResourceConfig();
        rc.setApplicationName("ironbridge");
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        rc.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        rc.property(ServerProperties.BV_FEATURE_DISABLE, true);
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.register(new JacksonJsonProvider(Json.mapper()));
        rc.register(MultiPartFeature.class);
        rc.register(new RequestObserver(services, metrics));
        rc.register(new RequestObserver.ResponseBodyCapture());
        rc.register(new RequestIdFilter());
        rc.register(new ConnectionStatsFilter(services));
        rc.register(new BodyLimitFilter(bodyLimit));
        rc.register(new AdminAuthFilter(services));
        rc.register(ProblemMapper.class);
        rc.register(new HealthResource(services));
        rc.register(new OpenApiResource());
        rc.register(new ConnectorsResource(services));
        rc.register(new ConnectionAuthFilter(services));
        rc.register(new AdminConnectionsResource(services));
        rc.register(new ConnectionStatsResource(services));
        rc.register(new OrganizationStatsResource(services));
        rc.register(new CreditsResource(services));
        rc.register(new ConsoleSessionResource(services));
        rc.register(new ConsoleUsersResource(services));
        rc.register(new LogsResource(services));
        rc.register(new AdminWebhooksResource(services));
        rc.register(new AdminWebhooksResource.Deliveries(services));
        rc.register(new DataResource(services));
        rc.register(new ConnectionApiResources.Self(services));
        rc.register(new ConnectionApiResources.CapabilitiesResource(services));
        rc.register(new ConnectionApiResources.Schemas(services));
        rc.register(new ConnectionApiResources.Passthrough(services));
        rc.register(new ConnectSessionsResource(services));
        rc.register(new ConnectAuthFilter(services));
        rc.register(new ConnectResource(services));
        return rc;
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<Servlet> r;
        ServiceRegistration<ApiReady> marker;
        synchronized (this) {
            stopped = true;
            r = registration;
            marker = ready;
            services.onReady = null;
        }
        if (marker != null) {
            unregister(marker);
        }
        if (r != null) {
            unregister(r);
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDatabase(Database db) {
        services.database = db;
    }

    void unbindDatabase(Database db) {
        if (services.database == db) {
            services.database = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindInstaller(ConnectorInstaller installer) {
        services.installer = installer;
    }

    void unbindInstaller(ConnectorInstaller installer) {
        if (services.installer == installer) {
            services.installer = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAdminAuthenticator(AdminAuthenticator a) {
        services.adminAuthenticator = a;
    }

    void unbindAdminAuthenticator(AdminAuthenticator a) {
        if (services.adminAuthenticator == a) {
            services.adminAuthenticator = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConnectors(ConnectorRegistry r) {
        services.connectors = r;
    }

    void unbindConnectors(ConnectorRegistry r) {
        if (services.connectors == r) {
            services.connectors = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConnectionService(ConnectionService s) {
        services.connections = s;
    }

    void unbindConnectionService(ConnectionService s) {
        if (services.connections == s) {
            services.connections = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRecordService(RecordService s) {
        services.records = s;
    }

    void unbindRecordService(RecordService s) {
        if (services.records == s) {
            services.records = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIdempotencyService(IdempotencyService s) {
        services.idempotency = s;
    }

    void unbindIdempotencyService(IdempotencyService s) {
        if (services.idempotency == s) {
            services.idempotency = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConnectionStats(ConnectionStats s) {
        services.stats = s;
    }

    void unbindConnectionStats(ConnectionStats s) {
        if (services.stats == s) {
            services.stats = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindWebhookService(WebhookService s) {
        services.webhooks = s;
    }

    void unbindWebhookService(WebhookService s) {
        if (services.webhooks == s) {
            services.webhooks = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCanonicalModel(CanonicalModel s) {
        services.model = s;
    }

    void unbindCanonicalModel(CanonicalModel s) {
        if (services.model == s) {
            services.model = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConsoleService(ConsoleService s) {
        services.console = s;
    }

    void unbindConsoleService(ConsoleService s) {
        if (services.console == s) {
            services.console = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConnectSessionService(ConnectSessionService s) {
        services.connectSessions = s;
    }

    void unbindConnectSessionService(ConnectSessionService s) {
        if (services.connectSessions == s) {
            services.connectSessions = null;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRequestLogService(RequestLogService s) {
        services.requestLogs = s;
    }

    void unbindRequestLogService(RequestLogService s) {
        if (services.requestLogs == s) {
            services.requestLogs = null;
        }
    }
}

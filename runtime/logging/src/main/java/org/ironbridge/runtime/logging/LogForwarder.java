package org.ironbridge.runtime.logging;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards entries of the OSGi log (where SCR reports components that fail to activate, and the
 * framework reports bundle errors) to slf4j, so they reach the console and {@code data/logs}.
 * Without it they stay in the in-memory LogService and vanish.
 */
@Component(immediate = true)
public final class LogForwarder implements LogListener {
    private final LogReaderService reader;

    @Activate
    public LogForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        String name =
                entry.getBundle() == null ? "osgi" : "osgi." + entry.getBundle().getSymbolicName();
        Logger log = LoggerFactory.getLogger(name);
        Throwable t = entry.getException();
        String msg = entry.getMessage();
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> log.error(msg, t);
            case WARN -> log.warn(msg, t);
            // INFO and below from the OSGi log are framework events (bundle started, service
            // registered):
            // useful when debugging, noise otherwise.
            default -> log.debug(msg, t);
        }
    }
}

/**
 * The connector conformance kit: {@link org.ironbridge.connector.testkit.ConnectorConformanceTest}
 * is the abstract JUnit 5 suite every connector's tests extend, against its simulator or a real
 * server.
 */
package org.ironbridge.connector.testkit;

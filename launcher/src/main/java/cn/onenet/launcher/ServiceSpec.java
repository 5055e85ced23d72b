package cn.onenet.launcher;

import java.util.Map;

/**
 * One service of the local run: its Maven module, its port, its database (null for none) and the environment it
 * needs beyond the datasource. {@code env} values may use {@code ${port:<service>}} to name another service's port.
 */
public record ServiceSpec(String name, String module, int port, String database, Map<String, String> env) {
}

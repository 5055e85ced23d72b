package cn.onenet.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The legal-person reference (法人库) enterprises are checked against (prefix {@code identity.legal-person-registry}). */
@ConfigMapping(prefix = "identity.legal-person-registry")
public interface LegalPersonRegistryConfig {

    /** Rows one administrator's load may hold; more is a 400 naming {@code rows}. */
    @WithDefault("5000")
    int maxRows();

    /** The name of the reference, recorded as an enterprise's {@code levelSource} when it is registered. */
    @WithDefault("法人库")
    String source();
}

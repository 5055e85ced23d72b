package cn.onenet.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of catalog-service (prefix {@code catalog}). */
@ConfigMapping(prefix = "catalog")
public interface CatalogConfig {

    String serviceName();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();
}

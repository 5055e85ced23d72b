package cn.onenet.catalog.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of catalog-service (prefix {@code catalog}). */
@ConfigMapping(prefix = "catalog")
public interface CatalogConfig {

    String serviceName();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();

    Search search();

    Demo demo();

    /** Public base URI of catalogue resources in the DCAT-AP export. */
    @WithDefault("http://127.0.0.1:8080/api/catalog/v1")
    String publicBaseUri();

    interface Search {
        /** Local directory of the Lucene index; empty keeps it in memory. Either way it is rebuilt at startup. */
        Optional<String> indexDir();
    }

    interface Demo {
        @WithDefault("false")
        boolean enabled();
    }
}

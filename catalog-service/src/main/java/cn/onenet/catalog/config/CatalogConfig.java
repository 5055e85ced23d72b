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

    ReferenceData referenceData();

    Spreadsheet spreadsheet();

    /** Public base URI of catalogue resources in the DCAT-AP export. */
    @WithDefault("http://127.0.0.1:8080/api/catalog/v1")
    String publicBaseUri();

    interface Search {
        /**
         * Local directory of the Lucene index; empty keeps it in memory (rebuilt at every start). An index kept on
         * disk is resumed at start when it is up to date with the database's change feed, and rebuilt otherwise.
         */
        Optional<String> indexDir();
    }

    interface ReferenceData {
        /**
         * How often a replica checks whether the working-day calendar or the search synonyms changed in the database
         * (edited through another replica) and reloads them.
         */
        @WithDefault("5s")
        java.time.Duration pollInterval();
    }

    interface Spreadsheet {
        /**
         * The most rows (after the header, blank ones included, every worksheet together) an import reads; a longer
         * file is refused with 422 before it is held in memory.
         */
        @WithDefault("100000")
        int maxImportRows();
    }

    interface Demo {
        @WithDefault("false")
        boolean enabled();
    }
}

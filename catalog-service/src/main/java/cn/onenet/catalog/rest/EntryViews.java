package cn.onenet.catalog.rest;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.Json;

/** Maps entities to {@link EntryView}, hiding drafts from callers who may only see the published copy. */
@ApplicationScoped
public class EntryViews {

    private final CatalogService catalog;
    private final Json json;

    public EntryViews(CatalogService catalog, Json json) {
        this.catalog = catalog;
        this.json = json;
    }

    public EntryView of(Caller caller, CatalogEntry e) {
        boolean full = caller.mayReadDrafts(e.providerCode);
        boolean live = e.published != null && e.state != EntryState.DEREGISTERED;
        return new EntryView(e.id, e.metadataId, e.resourceCode, e.classificationCode, e.name,
                full ? e.state : (live ? EntryState.PUBLISHED : e.state), full ? e.state.label : EntryState.PUBLISHED.label,
                e.publishedVersion, e.versionLabel, live,
                catalog.content(e.published), full ? catalog.content(e.draft) : null,
                full ? node(e.secrecyAssessment) : null, full ? node(e.piAssessment) : null,
                full ? node(e.headApproval) : null, full ? node(e.changeTrigger) : null,
                full ? node(e.deregistration) : null, full ? e.reviewDue : null, full ? e.changeDue : null,
                e.changeExtended, full && catalog.overdue(e), e.updatedBy, e.updatedAt,
                e.publishedVersion > 0 ? catalog.firstPublication(e.id) : null, e.lockVersion);
    }

    private com.fasterxml.jackson.databind.JsonNode node(String s) {
        return s == null ? null : json.tree(s);
    }
}

package cn.onenet.catalog.rest;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.model.EntryVersion;
import cn.onenet.catalog.service.CalendarService;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.Json;

/** Maps entities to {@link EntryView}, hiding drafts from callers who may only see the published copy. */
@ApplicationScoped
public class EntryViews {

    private final CatalogService catalog;
    private final Json json;
    private final CalendarService calendar;

    public EntryViews(CatalogService catalog, Json json, CalendarService calendar) {
        this.catalog = catalog;
        this.json = json;
        this.calendar = calendar;
    }

    public EntryView of(Caller caller, CatalogEntry e) {
        boolean live = e.published != null && e.state != EntryState.DEREGISTERED;
        String publishDate = e.publishedVersion > 0 ? catalog.firstPublication(e.id) : null;
        EntryContent published = catalog.content(e.published);
        // 发布机关: the 主管部门 of the published copy's region reviews and publishes it (R5)
        String publishingRegion = published == null ? null : published.regionCode();
        if (CatalogService.mayReadDrafts(caller, e)) {
            return new EntryView(e.id, e.metadataId, e.resourceCode, e.classificationCode, e.name, e.state,
                    e.state.label, e.publishedVersion, e.versionLabel, live, published,
                    catalog.content(e.draft), node(e.secrecyAssessment), node(e.piAssessment), node(e.headApproval),
                    node(e.changeTrigger), node(e.deregistration), node(e.changeFiling), e.reviewDue, e.changeDue, e.changeExtended,
                    catalog.overdue(e), calendar.provisional(e.reviewDue) || calendar.provisional(e.changeDue),
                    e.updatedBy, publishingRegion, e.updatedAt, publishDate, e.lockVersion, e.registeredOn);
        }
        // The published copy as it was published: name, classification, publishing body and time come from the
        // published version, not from the entity, which follows the draft and the review under way. Who published it
        // is not shown: an account id is internal personal data.
        EntryVersion version = catalog.currentVersion(e);
        return new EntryView(e.id, e.metadataId, e.resourceCode,
                published == null ? null : published.classification().code(),
                published == null ? null : published.name(), live ? EntryState.PUBLISHED : e.state,
                EntryState.PUBLISHED.label, e.publishedVersion, e.versionLabel, live, published, null, null, null,
                null, null, null, null, null, null, false, false, false, null, publishingRegion,
                version == null ? null : version.publishedAt, publishDate, null, null);
    }

    private com.fasterxml.jackson.databind.JsonNode node(String s) {
        return s == null ? null : json.tree(s);
    }
}

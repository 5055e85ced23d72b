package cn.onenet.catalog.rest;

import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.databind.JsonNode;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryState;

/**
 * An entry as the API shows it: the live published copy, the draft under work (to those who may see drafts), the
 * workflow records and timers.
 */
public record EntryView(long id, String metadataId, String resourceCode, String classificationCode, String name,
        EntryState state, String stateLabel, int publishedVersion, String versionLabel, boolean live,
        EntryContent published, EntryContent draft, JsonNode secrecyAssessment,
        JsonNode personalInformationAssessment, JsonNode headApproval, JsonNode changeTrigger,
        JsonNode deregistration, LocalDate reviewDue, LocalDate changeDue, boolean changeExtended, boolean overdue,
        String maintainer, Instant updatedAt, String publishDate, int lockVersion) {
}

package cn.onenet.catalog.rest;

import java.time.Instant;
import java.time.LocalDate;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryState;

/**
 * An entry as the API shows it: the live published copy, the draft under work (to those who may see drafts), the
 * workflow records and timers. Callers who may not see drafts get the published version only: its name,
 * classification, publishing body (the 主管部门 of its region) and time, no maintainer, workflow records or timers,
 * and no lockVersion.
 */
@Schema(example = EntryView.EXAMPLE)
public record EntryView(long id, String metadataId, String resourceCode, String classificationCode, String name,
        EntryState state, String stateLabel, int publishedVersion, String versionLabel, boolean live,
        EntryContent published, EntryContent draft, JsonNode secrecyAssessment,
        JsonNode personalInformationAssessment, JsonNode headApproval, JsonNode changeTrigger,
        JsonNode deregistration, JsonNode changeFiling, LocalDate reviewDue, LocalDate changeDue, boolean changeExtended, boolean overdue,
        @Schema(description = "reviewDue or changeDue falls after the last day the official holiday notices entered "
                + "cover (GET /calendar/coverage): counted with the fixed-date holidays only, it may move when that "
                + "year's notice is entered")
        boolean dueProvisional,
        @Schema(description = "the account id of whoever last maintained the entry; only to those who may see drafts "
                + "(null for everyone else)")
        String maintainer,
        @Schema(example = "330000", description = "发布机关 of the published copy: the GB/T 2260 code of the region whose "
                + "政务数据主管部门 reviewed and published it (R5); null before the first publication")
        String publishingRegionCode,
        Instant updatedAt, String publishDate,
        @Schema(description = "the If-Match value for editing; null for callers who may not see drafts")
        Integer lockVersion,
        @Schema(example = "2019-03-01", description = "登记日期: the Beijing date the entry was registered, the day it "
                + "was created unless an admin's spreadsheet import gave the day it was first registered in the "
                + "catalogue kept before; a change's triggeredOn and an assessment's assessedOn may not lie before it. "
                + "Null for callers who may not see drafts")
        LocalDate registeredOn) {

    private static final String EXAMPLE_HEAD = """
            {"id":1,"metadataId":"6f1d2c3e-9b7a-4e21-8c55-0a4b3d2e1f90","resourceCode":"101001/000001",
             "classificationCode":"101001","name":"居民户籍信息","state":"CHANGE_PENDING","stateLabel":"变更中",
             "publishedVersion":2,"versionLabel":"1.1","live":true""";

    private static final String EXAMPLE_TAIL = """
            "secrecyAssessment":null,"personalInformationAssessment":null,"headApproval":null,
             "changeTrigger":{"cause":"《户口登记条例》修订，户籍信息项调整","triggeredOn":"2026-11-02",
                              "recordedBy":"editor-police","recordedAt":"2026-11-03T01:20:00Z"},
             "deregistration":null,"changeFiling":null,"reviewDue":null,"changeDue":"2026-11-16","changeExtended":false,"overdue":false,"dueProvisional":false,
             "maintainer":"editor-police","publishingRegionCode":"330000","updatedAt":"2026-11-03T01:20:00Z","publishDate":"2026-10-23",
             "lockVersion":7,"registeredOn":"2019-03-01"}""";

    /** A published entry under change after a legal change, as its provider's editor sees it. */
    static final String EXAMPLE = EXAMPLE_HEAD + ",\"published\":" + EntryContent.EXAMPLE
            + ",\"draft\":" + EntryContent.EXAMPLE + "," + EXAMPLE_TAIL;
}

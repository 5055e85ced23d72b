package cn.onenet.catalog.rest;

import java.time.LocalDate;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonAnySetter;

import cn.onenet.catalog.model.EntryContent;

/** Bodies of the workflow actions. */
public final class Requests {

    private Requests() {
    }

    /** A reviewer's or editor's opinion (审核意见) on a step. */
    public record Opinion(String opinion) {
    }

    /**
     * 部门负责人审核: the head's opinion (required, at most 500 characters) and, optionally, the day the head approved
     * (default today, not in the future). The approver is the head signed in; {@code approver} is refused.
     */
    public record HeadApproval(@Schema(example = "同意报送") String opinion,
            @Schema(example = "2026-10-21") LocalDate approvedOn,
            @Schema(deprecated = true, description = "no longer accepted (400): the approver's name and account come "
                    + "from the head's token") String approver) {
    }

    /**
     * 保密风险评估 / 个人信息保护影响评估: the report's number, its conclusion and the day it was made. Who recorded it
     * and when are the caller signed in and the time of the request, never fields of the body: a body naming
     * {@code recordedBy}, {@code recordedAt} or any other field is refused with 400 naming it, rather than ignored.
     */
    public record Assessment(@Schema(example = "BM-2026-101", description = "the report's number, at most 100 "
            + "characters") String reference,
            @Schema(example = "不涉及国家秘密和工作秘密") String conclusion,
            @Schema(example = "2026-10-20", description = "the day of the assessment: not after today, not before the "
                    + "day the entry was registered") LocalDate assessedOn,
            @JsonAnySetter @Schema(hidden = true) Map<String, Object> otherFields) {
    }

    public record Change(@Schema(example = "《户口登记条例》修订，户籍信息项调整") String cause,
            @Schema(example = "2026-11-02", description = "the day of the legal or duty change (default today): not "
                    + "after today, not before the day the entry was registered") LocalDate triggeredOn) {
    }

    public record DeregistrationRequest(@Schema(example = "已并入“居民户籍信息”统一提供，不再单独维护") String reason) {
    }

    public record Filing(@Schema(example = "已书面征求持有授权的省人力资源和社会保障厅、省民政厅意见，"
            + "两部门同意改由“居民户籍信息”（101001/000001）获取") String filing) {
    }

    public record Reclassification(EntryContent.Classification classification, String opinion) {
    }

    public record CalendarDayBody(@Schema(example = "holiday") String kind, @Schema(example = "春节") String name,
            @Schema(description = "why the day is set (required, at most 2000 characters): e.g. the State Council "
                    + "notice it follows", example = "国办发明电〔2026〕7号 2027年部分节假日安排") String reason) {
    }

    public record SynonymBody(@Schema(example = "社会保险") String expansion) {
    }
}

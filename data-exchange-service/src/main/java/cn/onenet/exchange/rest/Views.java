package cn.onenet.exchange.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.service.Json;

/** API representations (separate from the entities). */
public final class Views {

    private Views() {
    }

    public record RequestView(long id, int version, String resourceCode, String providerDepartmentCode,
            String consumerDepartmentCode, String filedBy, String officeHeadApprover, List<String> items,
            String legalBasis, String scenario, String purpose, String scope, String deliveryMethod,
            LocalDate periodFrom, LocalDate periodTo, String shareAttribute, String status, LocalDate receivedOn,
            LocalDate dueOn, boolean extended, String extensionReason, Integer extensionDays,
            boolean supplementAsked, String supplementNote, String decisionReason,
            Map<String, Object> refusalLegalBasis, boolean escalated, Long grantId, Instant createdAt,
            Instant decidedAt, String consumerRegionCode) {

        static RequestView of(ShareRequest r) {
            return new RequestView(r.id, r.version, r.resourceCode, r.providerDepartmentCode,
                    r.consumerDepartmentCode, r.filedBy, r.officeHeadApprover, Json.strings(r.items), r.legalBasis,
                    r.scenario, r.purpose, r.scope, r.deliveryMethod, r.periodFrom, r.periodTo, r.shareAttribute,
                    r.status, r.receivedOn, r.dueOn, r.extended, r.extensionReason, r.extensionDays,
                    r.supplementAsked, r.supplementNote, r.decisionReason, Json.object(r.refusalLegalBasis),
                    r.escalated, r.grantId, r.createdAt, r.decidedAt, r.consumerRegionCode);
        }
    }

    public record GrantView(long id, int version, Long requestId, String resourceCode, String providerDepartmentCode,
            String consumerDepartmentCode, List<String> items, List<String> clearItems, String purpose,
            String legalBasis, String deliveryMethod, LocalDate validFrom, LocalDate validTo, int quotaPerSecond,
            int quotaPerDay, String status, String statusReason, Instant disposalConfirmedAt, Instant createdAt,
            Instant updatedAt, String basis, String regionScope) {

        static GrantView of(ShareGrant g) {
            return new GrantView(g.id, g.version, g.requestId, g.resourceCode, g.providerDepartmentCode,
                    g.consumerDepartmentCode, Json.strings(g.items), Json.strings(g.clearItems), g.purpose,
                    g.legalBasis, g.deliveryMethod, g.validFrom, g.validTo, g.quotaPerSecond, g.quotaPerDay, g.status,
                    g.statusReason, g.disposalConfirmedAt, g.createdAt, g.updatedAt, g.basis, g.regionScope);
        }
    }

    public record NoticeView(long id, String kind, String subjectType, long subjectId, String message,
            Instant createdAt) {

        static NoticeView of(Notice n) {
            return new NoticeView(n.id, n.kind, n.subjectType, n.subjectId, n.message, n.createdAt);
        }
    }

    public record DisputeView(long id, int version, long requestId, String consumerDepartmentCode,
            String providerDepartmentCode, String reason, String level, String handlerDepartmentCode, String status,
            String resolution, Instant createdAt) {

        static DisputeView of(Dispute d) {
            return new DisputeView(d.id, d.version, d.requestId, d.consumerDepartmentCode, d.providerDepartmentCode,
                    d.reason, d.level, d.handlerDepartmentCode, d.status, d.resolution, d.createdAt);
        }
    }

    public record ObjectionView(long id, int version, String resourceCode, String consumerDepartmentCode,
            String providerDepartmentCode, String description, String status, String answer, LocalDate receivedOn,
            LocalDate dueOn, boolean escalated) {

        static ObjectionView of(Objection o) {
            return new ObjectionView(o.id, o.version, o.resourceCode, o.consumerDepartmentCode,
                    o.providerDepartmentCode, o.description, o.status, o.answer, o.receivedOn, o.dueOn, o.escalated);
        }
    }
}

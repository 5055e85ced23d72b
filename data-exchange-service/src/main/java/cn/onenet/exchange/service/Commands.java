package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Inputs of the exchange's state changes (request bodies). */
public final class Commands {

    private Commands() {
    }

    @Schema(description = "真实性、合法性、必要性承诺 (truthfulness, legality, necessity attestation)")
    public record Attestation(boolean truthful, boolean lawful, boolean necessary) {
    }

    @Schema(description = "共享申请 (a request for a published catalogue entry)")
    public record FileRequest(
            @Schema(maxLength = TextLimits.CODE, example = "101001/000001") String resourceCode,
            @Schema(example = "[\"GMSFHM\", \"XM\"]") List<String> items,
            @Schema(maxLength = TextLimits.LEGAL_BASIS, example = "《社会保险法》第七十五条") String legalBasis,
            @Schema(maxLength = TextLimits.TEXT, example = "养老保险待遇资格认证") String scenario,
            @Schema(maxLength = TextLimits.LINE, example = "社会保障待遇资格认证") String purpose,
            @Schema(maxLength = TextLimits.TEXT, example = "本部门社保经办机构") String scope,
            @Schema(maxLength = TextLimits.CODE, example = "API", enumeration = { "API", "BULK", "FILE", "SUBSCRIPTION" })
            String deliveryMethod,
            LocalDate periodFrom, LocalDate periodTo, Attestation attestation,
            // no longer part of the API: read only to refuse a value (400 naming it); the approving head is the account
            // that approves the request (role head), or the filer when it holds head
            @Schema(hidden = true, maxLength = TextLimits.LINE) String officeHeadApprover,
            @Schema(description = "隐蔽查询声明 (optional): the consumer asks to query without the citizens being told "
                    + "(X-Covert-Until); the provider's approval of the request approves it") CovertUse covertUse) {
    }

    @Schema(description = "隐蔽查询声明 (a declared covert use, 依法不告知当事人, R21): its legal basis citing a law in 《》 "
            + "or an article, and the longest a covert query under the grant may stay hidden")
    public record CovertUse(@Schema(maxLength = TextLimits.LEGAL_BASIS, example = "《中华人民共和国刑事诉讼法》第一百五十条")
            String legalBasis,
            @Schema(description = "ISO 8601 period, at most exchange.covert.max-period (P1Y), which is also the "
                    + "default", maxLength = TextLimits.CODE, example = "P6M") String maxPeriod) {
    }

    @Schema(description = "本部门负责人审核同意 (the requesting department's head approves the request, R7)")
    public record HeadApproval(@Schema(example = "0") Integer version,
            @Schema(description = "the head's opinion (optional, kept in the history)", maxLength = TextLimits.TEXT,
                    example = "同意申请，用于养老保险待遇资格认证") String opinion) {
    }

    @Schema(description = "批准，可缩减数据项或期限 (approve, possibly fewer items or a shorter period)")
    public record Approve(@Schema(example = "0") Integer version,
            @Schema(description = "the items granted, a subset of those requested; omitted: as requested; an empty "
                    + "list is 400 (refuse instead)", example = "[\"GMSFHM\", \"XM\"]") List<String> items,
            LocalDate periodTo,
            @Schema(example = "[\"XM\"]") List<String> clearItems, @Schema(example = "10") Integer quotaPerSecond,
            @Schema(example = "20000") Integer quotaPerDay,
            @Schema(maxLength = TextLimits.TEXT, example = "同意共享，仅限养老保险待遇资格认证使用") String note,
            // not part of the API: read only to refuse a value (400 naming it); the provider's approver is the head
            // who approves the answer (role head), or the answering operator when it holds head
            @Schema(hidden = true, maxLength = TextLimits.LINE) String providerHeadApprover,
            @Schema(description = "how the consumer must dispose of the data when the grant ends (optional; none: "
                    + "deletion)") DisposalRequirement disposalRequirement) {

        /** An approval as the API takes it (no approver named), without a disposal requirement. */
        public Approve(Integer version, List<String> items, LocalDate periodTo, List<String> clearItems,
                Integer quotaPerSecond, Integer quotaPerDay, String note) {
            this(version, items, periodTo, clearItems, quotaPerSecond, quotaPerDay, note, null, null);
        }
    }

    @Schema(description = "数据处置要求 (the provider's requirement for disposing of the data when the grant ends, R14, "
            + "条例第二十七条第一款): DELETE 删除, RETURN 退回提供部门, ARCHIVE_SEALED 封存归档, OTHER 其他 (instructions "
            + "required)")
    public record DisposalRequirement(
            @Schema(maxLength = TextLimits.CODE, example = "DELETE", enumeration = { "DELETE", "RETURN", "ARCHIVE_SEALED",
                    "OTHER" }) String method,
            @Schema(description = "处置说明 (required for OTHER)", maxLength = GrantService.MAX_DISPOSAL_INSTRUCTIONS,
                    example = "删除业务系统及备份中的全部共享数据，并提交销毁记录") String instructions) {
    }

    @Schema(description = "暂停授权，可设整改期限 (a suspension with its reason and, optionally, a rectification "
            + "deadline in working days)")
    public record Suspension(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "发现超出授权用途批量调用，暂停核查") String reason,
            @Schema(description = "整改期限: working days (1–60) the consumer has to rectify; past it, still "
                    + "suspended, the 主管部门 is told (optional)", example = "10") Integer rectificationWorkingDays) {
    }

    @Schema(description = "终止授权 (a termination with its reason; the provider may state or change how the data is "
            + "to be disposed of)")
    public record Termination(@Schema(example = "1") Integer version,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "业务职能调整，共享用途已不存在") String reason,
            @Schema(description = "the provider's disposal requirement (optional; the provider only)")
            DisposalRequirement disposalRequirement) {
    }

    @Schema(description = "带理由的决定或说明 (a decision with its reason)")
    public record Reasoned(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.TEXT, example = "申请用途与共享条件不符") String reason) {
    }

    @Schema(description = "带理由的授权变更 (a grant's resumption or the consumer's disposal confirmation, with the reason "
            + "recorded in the grant's history; as long as a suspension's or termination's)")
    public record GrantReason(@Schema(example = "2") Integer version,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "核查完毕，使用部门已整改") String reason) {

        public Reasoned reasoned() {
            return new Reasoned(version, reason);
        }
    }

    @Schema(description = "拒绝共享，须说明理由，可引用法律依据 (a refusal: its reasons, and the legal basis it cites if any)")
    public record Refusal(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.TEXT, example = "申请用途与目录所列共享条件不符") String reason,
            @Schema(description = "法律依据 (optional)", maxLength = TextLimits.LEGAL_BASIS,
                    example = "《中华人民共和国个人信息保护法》第三十四条") String legalBasis,
            // not part of the API: refused when given (400 naming it), as for Approve
            @Schema(hidden = true, maxLength = TextLimits.LINE) String providerHeadApprover) {
    }

    @Schema(description = "提供部门负责人审核同意拟答复 (the providing department's head approves the answer its operator "
            + "prepared, 条例第二十条第三款)")
    public record AnswerApproval(@Schema(example = "2") Integer version,
            @Schema(description = "the head's opinion (optional, kept in the history)", maxLength = TextLimits.TEXT,
                    example = "同意按拟答复意见办理") String opinion) {
    }

    @Schema(description = "延期申请 (extension of up to 10 working days, R8)")
    public record Extension(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.TEXT, example = "涉及历史户籍档案核查，需协调属地公安机关") String reason,
            @Schema(example = "10") Integer days) {
    }

    @Schema(description = "补充材料后重新提交 (resubmission after a request for missing material)")
    public record Resubmit(@Schema(example = "1") Integer version,
            @Schema(maxLength = TextLimits.LEGAL_BASIS, example = "《社会保险法》第七十五条") String legalBasis,
            @Schema(maxLength = TextLimits.TEXT, example = "养老保险待遇领取资格年度认证") String scenario,
            @Schema(maxLength = TextLimits.LINE, example = "社会保障待遇资格认证") String purpose,
            @Schema(maxLength = TextLimits.TEXT, example = "省社会保险经办机构及各市县经办网点") String scope,
            @Schema(maxLength = TextLimits.TEXT, example = "已补充待遇领取人员范围说明") String note) {
    }

    @Schema(description = "授权变更 (change of a grant, with a recorded reason and notice, R15)")
    public record ChangeGrant(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "业务量增长，日调用上限提高至 50000 次") String reason,
            @Schema(example = "[\"GMSFHM\", \"XM\"]") List<String> items, LocalDate validTo,
            @Schema(example = "20") Integer quotaPerSecond, @Schema(example = "50000") Integer quotaPerDay) {
    }

    @Schema(description = "争议 (R17): over a refusal or a late answer of a request (requestId), or over the provider's "
            + "suspension or termination of a grant or data not delivered in time (grantId); with the negotiation that "
            + "preceded it")
    public record OpenDispute(@Schema(example = "57") Long requestId,
            @Schema(maxLength = TextLimits.TEXT, example = "住房公积金提取须核验不动产权属，拒绝理由不成立") String reason,
            @Schema(description = "REFUSAL (default), SUSPENSION, TERMINATION, LATE_ANSWER, NON_DELIVERY",
                    maxLength = TextLimits.CODE, example = "TERMINATION", enumeration = { "REFUSAL", "SUSPENSION", "TERMINATION", "LATE_ANSWER",
                            "NON_DELIVERY" }) String subject,
            @Schema(description = "the grant disputed (SUSPENSION, TERMINATION, NON_DELIVERY)", example = "17")
            Long grantId,
            @Schema(description = "协商记录: required (条例第二十八条: the departments negotiate first)") Negotiation negotiation) {
    }

    @Schema(description = "协商记录 (the negotiation between the departments that preceded the dispute, 条例第二十八条)")
    public record Negotiation(@Schema(description = "the day they negotiated (not in the future)",
            example = "2026-12-03") LocalDate date,
            @Schema(description = "who took part: names and departments, each at most 200 characters", example = "[\"市公积金中心 王科长\", "
                    + "\"市自然资源局 李处长\"]") List<String> participants,
            @Schema(description = "what came of it", maxLength = TextLimits.LONG_TEXT,
                    example = "提供部门坚持终止，双方未达成一致") String outcome) {
    }

    @Schema(description = "提供部门对校核申请的答复 (the provider's answer to an objection: what it found — CORRECTED "
            + "已更正, CONFIRMED_CORRECT 经核实无误, PARTIALLY_CORRECTED 部分更正 — and what it verified and corrected)")
    public record ObjectionAnswer(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.CODE,
                    enumeration = { "CORRECTED", "CONFIRMED_CORRECT", "PARTIALLY_CORRECTED" },
                    example = "CORRECTED") String outcome,
            @Schema(maxLength = TextLimits.TEXT, example = "经核实，该居民已于 2026 年 9 月迁入，户籍地址已更正") String reason) {
    }

    @Schema(description = "校核申请 (data-quality objection, R13)")
    public record FileObjection(@Schema(maxLength = TextLimits.CODE, example = "101001/000001") String resourceCode,
            @Schema(maxLength = DatasetService.MAX_KEY_LENGTH, example = "33010619850312001X") String recordKey,
            @Schema(maxLength = TextLimits.TEXT, example = "户籍地址与本人申报的现住址不一致，疑为迁移后未更新") String description) {
    }

    @Schema(description = "投诉 (a complaint about one access to the caller's data, R21): the usage-log entry of the "
            + "citizens' view by its seq, or by its requestId; what is wrong; optionally the remedy asked for")
    public record FileComplaint(@Schema(example = "1043") Long usageLogSeq,
            @Schema(maxLength = 128, example = "9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d") String requestId,
            @Schema(maxLength = ComplaintService.MAX_DESCRIPTION, example = "本人未在该部门办理任何业务，该部门无正当理由查询本人户籍信息")
            String description,
            @Schema(maxLength = ComplaintService.MAX_REMEDY, example = "说明查询理由，停止无关查询") String requestedRemedy) {
    }

    @Schema(description = "主管部门对投诉的处理 (the 主管部门's decision on a complaint, with its reasons; upholding it "
            + "can suspend the grant the access used)")
    public record ComplaintDecision(@Schema(example = "1") Integer version,
            @Schema(maxLength = ComplaintService.MAX_DESCRIPTION, example = "查询超出授权用途，投诉成立") String reason,
            @Schema(description = "uphold only: suspend the grant the access used", example = "true")
            Boolean suspendGrant) {
    }

    @Schema(description = "代理服务登记 (the provider's own HTTP endpoint)")
    public record RegisterProxy(@Schema(maxLength = TextLimits.URL, example = "https://dept.example/api/licences")
            String endpointUrl,
            @Schema(example = "3000") Integer timeoutMs) {
    }

    @Schema(description = "Webhook of a subscription: https (http only to 127.0.0.1 where configured); 'after' replays "
            + "changes after a pull-feed cursor, otherwise only new changes are sent")
    public record RegisterWebhook(@Schema(maxLength = TextLimits.URL, example = "https://mzt.zj.gov.cn/exchange/webhook")
            String url,
            @Schema(example = "0") Long after) {
    }

    @Schema(description = "数据安全事件报告 (a security incident concerning shared data, 条例第三十五条)")
    public record ReportIncident(
            @Schema(description = "LEAK 泄露, MISUSE 滥用, TAMPERING 篡改, UNAVAILABILITY 不可用", example = "LEAK",
                    maxLength = TextLimits.CODE, enumeration = { "LEAK", "MISUSE", "TAMPERING", "UNAVAILABILITY" }) String type,
            @Schema(maxLength = TextLimits.CODE, example = "101001/000001") String resourceCode,
            @Schema(description = "the grants concerned, if known (a consumer names only its own)", example = "[17]")
            List<Long> grantIds,
            @Schema(description = "when the incident was discovered (ISO 8601 with offset, not in the future)",
                    maxLength = TextLimits.CODE, example = "2026-12-04T08:30:00+08:00") String discoveredAt,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "经办人员将含有居民身份证号的导出文件上传至互联网网盘，已被他人下载")
            String description,
            @Schema(description = "measures taken (emergency plan started, access cut, …)",
                    maxLength = TextLimits.LONG_TEXT, example = "已启动应急预案，删除网盘文件，停用该经办人员账号") String measuresTaken) {
    }

    @Schema(description = "因安全事件暂停授权 (suspend grants because of an incident)")
    public record IncidentSuspension(@Schema(example = "0") Integer version,
            @Schema(description = "grants to suspend, on the incident's resource; omitted: every grant concerned",
                    example = "[17]") List<Long> grantIds,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "疑似数据泄露，暂停使用待查") String reason) {
    }

    @Schema(description = "责令整改 (require a rectification report within working days)")
    public record RequireRectification(@Schema(example = "1") Integer version,
            @Schema(description = "the department that must rectify and report; default: the reporting department",
                    maxLength = TextLimits.CODE, example = "11330000002481060E") String responsibleDepartmentCode,
            @Schema(description = "working days until the report is due (1–60)", example = "10") Integer workingDays,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "查明泄露范围，追究责任人，完善导出文件管理制度并报送整改报告")
            String requirement) {
    }

    @Schema(description = "整改报告 (the responsible department's rectification report)")
    public record RectificationReport(@Schema(example = "2") Integer version,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "已查明涉及 312 条记录，责任人已停职，导出文件改为加密存储并按月审计")
            String report) {
    }

    @Schema(description = "事件办结 (the 主管部门 closes the incident with its conclusion)")
    public record CloseIncident(@Schema(example = "3") Integer version,
            @Schema(maxLength = TextLimits.LONG_TEXT, example = "整改到位，恢复授权另行审批") String conclusion) {
    }

    @Schema(description = "标为已读 (mark every notice of the caller's inbox up to this id read, e.g. the newest listed)")
    public record ReadUpTo(@Schema(description = "a notice id (≥ 1); notices with this id or a lower one are marked",
            example = "128") Long upTo) {
    }

    @Schema(description = "个人信息更正补充申请 (a citizen's or an enterprise's request that data about it in a catalogue "
            + "entry's dataset be corrected or completed, PIPL 第四十六条): the entry, the data item, what it shows and "
            + "what is right (correctValue and/or description); the person is the token's cn_id or uscc, never the body")
    public record FileCorrection(@Schema(maxLength = TextLimits.CODE, example = "101001/000001") String resourceCode,
            @Schema(description = "a data item of the entry (its code)", maxLength = TextLimits.CODE, example = "HJDZ")
            String item,
            @Schema(description = "what the data shows now (optional)", maxLength = CorrectionService.MAX_VALUE,
                    example = "杭州市西湖区文三路 90 号") String currentValue,
            @Schema(description = "what it should be", maxLength = CorrectionService.MAX_VALUE,
                    example = "杭州市西湖区文三路 98 号") String correctValue,
            @Schema(maxLength = CorrectionService.MAX_TEXT, example = "门牌号登记错误，本人户口簿记载为 98 号") String description,
            @Schema(description = "supporting evidence, as text (optional)", maxLength = CorrectionService.MAX_TEXT,
                    example = "户口簿首页及本人页，编号 330106-2019-004512") String evidence) {
    }

    @Schema(description = "数源部门的答复 (the provider department's answer to a correction request: CORRECTED 已更正, "
            + "SUPPLEMENTED 已补充 or NOT_CORRECTED 不予更正; reason always, and for NOT_CORRECTED legalBasis or "
            + "explanation)")
    public record CorrectionAnswer(@Schema(example = "0") Integer version,
            @Schema(maxLength = TextLimits.CODE, enumeration = { "CORRECTED", "SUPPLEMENTED", "NOT_CORRECTED" },
                    example = "CORRECTED") String outcome,
            @Schema(maxLength = CorrectionService.MAX_TEXT, example = "经核对户籍档案，门牌号录入有误，已更正为 98 号") String reason,
            @Schema(description = "the law relied on (NOT_CORRECTED: this or explanation)",
                    maxLength = TextLimits.LEGAL_BASIS, example = "《中华人民共和国户口登记条例》第十七条") String legalBasis,
            @Schema(description = "how the data was verified (NOT_CORRECTED: this or legalBasis)",
                    maxLength = CorrectionService.MAX_TEXT, example = "经核对 2019 年迁入登记原始档案，登记地址与档案一致") String explanation) {
    }

    @Schema(description = "见证登记 (where a department system receives the usage log's signed checkpoints)")
    public record RegisterWitness(@Schema(description = "https URL the checkpoints are POSTed to", maxLength = TextLimits.URL,
            example = "https://audit.rsj.zj.gov.cn/usage-log-witness") String url) {
    }
}

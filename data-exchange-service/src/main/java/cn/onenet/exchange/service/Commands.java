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
            @Schema(example = "330000-01-02/000123") String resourceCode,
            @Schema(example = "[\"GMSFHM\", \"XM\"]") List<String> items,
            @Schema(example = "《社会保险法》第七十五条") String legalBasis,
            @Schema(example = "养老保险待遇资格认证") String scenario,
            @Schema(example = "社会保障待遇资格认证") String purpose,
            @Schema(example = "本部门社保经办机构") String scope,
            @Schema(example = "API", enumeration = { "API", "BULK", "FILE", "SUBSCRIPTION" }) String deliveryMethod,
            LocalDate periodFrom, LocalDate periodTo, Attestation attestation,
            @Schema(description = "本部门数据共享工作负责人审核 (R7)", example = "张主任") String officeHeadApprover) {
    }

    @Schema(description = "批准，可缩减数据项或期限 (approve, possibly fewer items or a shorter period)")
    public record Approve(Integer version, List<String> items, LocalDate periodTo, List<String> clearItems,
            Integer quotaPerSecond, Integer quotaPerDay, String note) {
    }

    @Schema(description = "带理由的决定或说明 (a decision with its reason)")
    public record Reasoned(Integer version, @Schema(example = "申请用途与共享条件不符") String reason) {
    }

    @Schema(description = "延期申请 (extension of up to 10 working days, R8)")
    public record Extension(Integer version, String reason, @Schema(example = "10") Integer days) {
    }

    @Schema(description = "补充材料后重新提交 (resubmission after a request for missing material)")
    public record Resubmit(Integer version, String legalBasis, String scenario, String purpose, String scope,
            String note) {
    }

    @Schema(description = "授权变更 (change of a grant, with a recorded reason and notice, R15)")
    public record ChangeGrant(Integer version, String reason, List<String> items, LocalDate validTo,
            Integer quotaPerSecond, Integer quotaPerDay) {
    }

    @Schema(description = "争议 (a dispute over a refusal, R17)")
    public record OpenDispute(Long requestId, String reason) {
    }

    @Schema(description = "校核申请 (data-quality objection, R13)")
    public record FileObjection(String resourceCode, String recordKey, String description) {
    }

    @Schema(description = "代理服务登记 (the provider's own HTTP endpoint)")
    public record RegisterProxy(@Schema(example = "https://dept.example/api/licences") String endpointUrl,
            @Schema(example = "3000") Integer timeoutMs) {
    }

    @Schema(description = "Webhook of a subscription: https (http only to 127.0.0.1 where configured); 'after' replays "
            + "changes after a pull-feed cursor, otherwise only new changes are sent")
    public record RegisterWebhook(@Schema(example = "https://mzt.zj.gov.cn/exchange/webhook") String url,
            @Schema(example = "0") Long after) {
    }
}

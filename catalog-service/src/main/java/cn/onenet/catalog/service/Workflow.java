package cn.onenet.catalog.service;

import java.time.Instant;
import java.time.LocalDate;

/** The records attached to an entry along its workflow (stored as JSON on the entry). */
public final class Workflow {

    private Workflow() {
    }

    /** 保密风险评估 / 个人信息保护影响评估 (条例 Art. 13 ¶1). */
    public record Assessment(String reference, String conclusion, LocalDate assessedOn, String recordedBy,
            Instant recordedAt) {
    }

    /**
     * 部门负责人审核 (条例 Art. 13 ¶1), given by the head with their own account: {@code approver} is the head's name
     * and {@code recordedBy} the head's account id, both from the token. (Approvals recorded before V9 were typed in
     * by an editor: {@code approver} is the name they typed, {@code recordedBy} the editor's account.)
     */
    public record HeadApproval(String approver, String opinion, LocalDate approvedOn, String recordedBy,
            Instant recordedAt) {
    }

    /** The legal or duty change that obliges an update within 10 working days (条例 Art. 17). */
    public record ChangeTrigger(String cause, LocalDate triggeredOn, String recordedBy, Instant recordedAt) {
    }

    /** A deregistration request with its consultation and 备案 (条例 Art. 27 ¶3). */
    public record Deregistration(String reason, String requestedBy, Instant requestedAt, String filing,
            String filedBy, Instant filedAt, boolean filingAccepted, String acceptedBy, Instant acceptedAt) {

        Deregistration withFiling(String text, String by) {
            return new Deregistration(reason, requestedBy, requestedAt, text, by, Instant.now(), false, null, null);
        }

        Deregistration accepted(String by) {
            return new Deregistration(reason, requestedBy, requestedAt, filing, filedBy, filedAt, true, by,
                    Instant.now());
        }
    }

    /**
     * The provider's consultation with the departments holding grants and its 备案 for a change that narrows what a
     * published entry shares (条例 Art. 27 ¶3), with the reviewer's acceptance.
     */
    public record ChangeFiling(String filing, String filedBy, Instant filedAt, boolean filingAccepted,
            String acceptedBy, Instant acceptedAt) {

        static ChangeFiling filed(String text, String by) {
            return new ChangeFiling(text, by, Instant.now(), false, null, null);
        }

        ChangeFiling accepted(String by) {
            return new ChangeFiling(filing, filedBy, filedAt, true, by, Instant.now());
        }
    }
}

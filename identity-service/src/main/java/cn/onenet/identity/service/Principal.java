package cn.onenet.identity.service;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.Department;

/**
 * Who a user token is about. When an agent (经办人) acts for an enterprise, {@code subject} is the enterprise and
 * {@code actor} the agent (RFC 8693 {@code act}).
 */
public record Principal(Account subject, Department department, Account actor) {

    /**
     * A civil servant of a deactivated (撤销) department: their tokens claim no department, no region and none of
     * the staff roles they held in it, until the department is reactivated or they are given another.
     */
    public boolean departmentDeactivated() {
        return department != null && !department.active;
    }
}

package cn.onenet.identity.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.DepartmentKind;

@Schema(name = "Department", description = "A department or authorised organisation (部门)")
public record DepartmentView(
        @Schema(example = "113301000024910207", description = "统一社会信用代码") String code,
        @Schema(example = "杭州市公安局") String name,
        @Schema(example = "Hangzhou Public Security Bureau") String nameEn,
        @Schema(example = "330100", description = "GB/T 2260 region code") String regionCode,
        @Schema(example = "11330000002481020A",
                description = "统一社会信用代码 of the parent department, if any") String parentCode,
        AdminLevel level,
        DepartmentKind kind,
        @Schema(description = "政务数据共享主管部门 of its region") boolean competentAuthority,
        @Schema(description = "false once deactivated (撤销): kept for the accounts and clients that refer to it")
        boolean active,
        @Schema(example = "0", description = "send as If-Match to change or deactivate it") long version) {

    static DepartmentView of(Department d, String parentCode) {
        return new DepartmentView(d.code, d.name, d.nameEn, d.regionCode, parentCode, d.level, d.kind,
                d.competentAuthority, d.active, d.version);
    }
}

package cn.onenet.identity.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.DepartmentKind;

@Schema(name = "Department", description = "A department or authorised organisation (部门)")
public record DepartmentView(
        @Schema(example = "11330000002481020A", description = "统一社会信用代码") String code,
        @Schema(example = "浙江省公安厅") String name,
        @Schema(example = "Zhejiang Public Security Department") String nameEn,
        @Schema(example = "330000", description = "GB/T 2260 region code") String regionCode,
        String parentCode,
        AdminLevel level,
        DepartmentKind kind,
        @Schema(description = "政务数据共享主管部门 of its region") boolean competentAuthority) {

    static DepartmentView of(Department d, String parentCode) {
        return new DepartmentView(d.code, d.name, d.nameEn, d.regionCode, parentCode, d.level, d.kind,
                d.competentAuthority);
    }
}

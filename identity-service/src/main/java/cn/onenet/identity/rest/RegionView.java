package cn.onenet.identity.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Region;

@Schema(name = "Region", description = "An administrative division (行政区划, GB/T 2260)")
public record RegionView(
        @Schema(example = "330100") String code,
        @Schema(example = "杭州市") String name,
        AdminLevel level,
        @Schema(example = "330000") String parentCode) {

    static RegionView of(Region r) {
        return new RegionView(r.code, r.name, r.level, r.parentCode);
    }
}

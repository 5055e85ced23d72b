// 一网通办 控制台: the signed-in person's own account (identity-service).

export const SELF_SECTIONS = [];

// 一网通办 控制台: the exchange's usage log (使用记录) — the tamper-evident record of every use of shared data.

export const USAGE_SECTIONS = [];

//! The sample plans transcribed from real municipal documents, bundled in the binary.

/// (file name, RON text) of every bundled sample plan.
pub const SAMPLE_PLANS: [(&str, &str); 4] = [
    (
        "eskilstuna-ks-delar2-2022.ron",
        include_str!("../assets/examples/eskilstuna-ks-delar2-2022.ron"),
    ),
    (
        "eskilstuna-2016-2019.ron",
        include_str!("../assets/examples/eskilstuna-2016-2019.ron"),
    ),
    (
        "eskilstuna-2024-2027.ron",
        include_str!("../assets/examples/eskilstuna-2024-2027.ron"),
    ),
    (
        "askersund-ks-2025.ron",
        include_str!("../assets/examples/askersund-ks-2025.ron"),
    ),
];

/// The plan shown on first start: KS delårsrapport 2 2022, which has every kind of content
/// (areas, goals, commitments with status, indicators with outcomes and targets).
pub fn default_plan() -> crate::model::Plan {
    let (name, text) = SAMPLE_PLANS[0];
    // Tested to parse; should a broken build ever ship, start empty rather than crash.
    crate::storage::parse_str(text, name)
        .unwrap_or_else(|_| crate::model::Plan::new("", "Ny plan", 2025, 2028))
}

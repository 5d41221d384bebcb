//! Indicator charts on paper, with the app's meaning: an outcome line per series, the
//! baseline as a dashed level, the targets as marked points on the path from the baseline,
//! the selected year marked. Readable in black and white: the series differ by line style and
//! marker, not by colour. Axes in Swedish number format. A chart with fewer than two points
//! says so instead of drawing a line through nothing.
//!
//! [`ChartData`] is plain data built from the plan (no drawing); [`draw`] lays one chart out
//! as vector operations, tagged as a figure whose alternative text reads the values.

use std::collections::HashMap;

use super::pdf::{Layout, Op, Structure};
use crate::followup::number::format_number;
use crate::model::{Indicator, ItemId, Plan, SeriesKind};

/// How a report shows charts: small beside each goal's indicators, full width, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartMode {
    #[default]
    Small,
    Full,
    None,
}

impl ChartMode {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "small" | "små" => Some(ChartMode::Small),
            "full" | "stora" => Some(ChartMode::Full),
            "none" | "inga" => Some(ChartMode::None),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    pub name: String,
    pub kind: SeriesKind,
    pub points: Vec<(i32, f64)>,
}

/// One indicator's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub title: String,
    pub decimals: u8,
    pub series: Vec<ChartSeries>,
    pub baseline: Option<(i32, f64)>,
    pub targets: Vec<(i32, f64)>,
    pub selected_year: Option<i32>,
    /// The x axis counts months (1–12) of one year instead of years.
    pub months: bool,
    /// The legend's words for the targets and the baseline level.
    pub target_label: String,
    pub baseline_label: String,
}

impl ChartData {
    pub fn new(indicator: &Indicator, selected_year: Option<i32>) -> Self {
        // The path from the baseline runs on the assessed series: Totalt, else the first own.
        let assessed = indicator
            .series
            .iter()
            .find(|s| s.kind == SeriesKind::Total)
            .or_else(|| indicator.series.iter().find(|s| s.kind != SeriesKind::Comparison));
        Self {
            title: indicator.name.clone(),
            decimals: indicator.decimals,
            series: indicator
                .series
                .iter()
                .filter(|s| !s.outcomes.is_empty())
                .map(|s| ChartSeries { name: s.name.clone(), kind: s.kind, points: s.outcomes.clone() })
                .collect(),
            baseline: assessed.and_then(|s| s.baseline),
            targets: assessed.map(|s| s.targets.clone()).unwrap_or_default(),
            selected_year,
            months: false,
            target_label: "Mål".to_owned(),
            baseline_label: "Utgångsvärde".to_owned(),
        }
    }

    /// A money chart: one line, and a level (the frame, the full-year budget) across it.
    pub fn money(title: String, line: &str, points: Vec<(i32, f64)>, level: Option<(String, f64)>, months: bool, decimals: u8) -> Self {
        let first = points.iter().map(|(x, _)| *x).min().unwrap_or(0);
        let (baseline_label, baseline) = match level {
            Some((label, value)) => (label, Some((if months { first.min(1) } else { first }, value))),
            None => (String::new(), None),
        };
        Self {
            title,
            decimals,
            series: vec![ChartSeries { name: line.to_owned(), kind: SeriesKind::Total, points }],
            baseline,
            targets: Vec::new(),
            selected_year: None,
            months,
            target_label: String::new(),
            baseline_label,
        }
    }

    /// Every year and value drawn.
    fn all_points(&self) -> impl Iterator<Item = (i32, f64)> + '_ {
        self.series.iter().flat_map(|s| s.points.iter().copied()).chain(self.baseline).chain(self.targets.iter().copied())
    }

    /// Whether there is a line to draw: some series or the target path with two points.
    pub fn drawable(&self) -> bool {
        self.series.iter().any(|s| s.points.len() >= 2) || self.baseline.iter().count() + self.targets.len() >= 2
    }

    /// The values in words, for the figure's alternative text.
    pub fn alt_text(&self) -> String {
        let mut parts = vec![format!("Diagram: {}", self.title)];
        for series in &self.series {
            let values: Vec<String> = series.points.iter().map(|(y, v)| format!("{y} {}", format_number(*v, self.decimals))).collect();
            parts.push(format!("{}: {}", series.name, values.join(", ")));
        }
        if let Some((year, value)) = self.baseline {
            if self.baseline_label != "Utgångsvärde" {
            parts.push(format!("{} {}", self.baseline_label.to_lowercase(), format_number(value, self.decimals)));
        } else {
            parts.push(format!("utgångsvärde {year} {}", format_number(value, self.decimals)));
        }
        }
        if !self.targets.is_empty() {
            let values: Vec<String> = self.targets.iter().map(|(y, v)| format!("{y} {}", format_number(*v, self.decimals))).collect();
            parts.push(format!("mål {}", values.join(", ")));
        }
        parts.join(". ")
    }
}

/// The charts a report draws: its mode and each indicator's data.
pub struct ChartSection {
    pub mode: ChartMode,
    pub charts: HashMap<ItemId, ChartData>,
}

impl ChartSection {
    pub fn none() -> Self {
        Self { mode: ChartMode::None, charts: HashMap::new() }
    }

    pub fn new(plan: &Plan, mode: ChartMode, selected_year: Option<i32>) -> Self {
        if mode == ChartMode::None {
            return Self::none();
        }
        let charts = plan.indicators.iter().map(|i| (i.id, ChartData::new(i, selected_year))).collect();
        Self { mode, charts }
    }
}

/// Line style and marker per series, so they read apart in black and white.
struct Style {
    dash: Option<[f32; 2]>,
    width: f32,
    grey: u8,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

fn style(index: usize, kind: SeriesKind) -> Style {
    if kind == SeriesKind::Comparison {
        return Style { dash: Some([5.0, 2.0]), width: 0.9, grey: 110, marker: Marker::Diamond };
    }
    match index % 3 {
        0 => Style { dash: None, width: 1.4, grey: 0, marker: Marker::Circle },
        1 => Style { dash: Some([3.0, 1.6]), width: 1.1, grey: 40, marker: Marker::Square },
        _ => Style { dash: Some([0.8, 1.6]), width: 1.2, grey: 60, marker: Marker::Triangle },
    }
}

fn marker_points(marker: Marker, x: f32, y: f32, r: f32) -> Vec<(f32, f32)> {
    match marker {
        Marker::Circle => (0..12)
            .map(|i| {
                let a = i as f32 / 12.0 * std::f32::consts::TAU;
                (x + r * a.cos(), y + r * a.sin())
            })
            .collect(),
        Marker::Square => vec![(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)],
        Marker::Triangle => vec![(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)],
        Marker::Diamond => vec![(x, y - r * 1.3), (x + r * 1.1, y), (x, y + r * 1.3), (x - r * 1.1, y)],
    }
}

/// Round tick values covering `low..high`, about `count` of them.
fn ticks(low: f64, high: f64, count: usize) -> Vec<f64> {
    let span = (high - low).abs().max(1e-9);
    let raw = span / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let first = (low / step).ceil() * step;
    (0..=count * 2 + 2).map(|i| first + i as f64 * step).take_while(|v| *v <= high + step * 1e-6).collect()
}

/// Draws the chart in the box at (x, top) of `width` × `height`, legend included.
pub(super) fn draw(l: &mut Layout<'_>, x: f32, top: f32, width: f32, height: f32, data: &ChartData) {
    let size = if width < 250.0 { 6.5 } else { 7.5 };
    l.begin(Structure::Figure(data.alt_text()));
    let lines = l.measure.wrap(&data.title, width, size + 0.5, true);
    let title = match lines.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [first, ..] => format!("{}…", first.trim_end()),
    };
    l.ops().push(Op::Text { x, y: top + size + 1.0, size: size + 0.5, bold: true, italic: false, grey: false, text: title });
    let plot_top = top + size + 6.0;
    if !data.drawable() {
        let mut years: Vec<i32> = data.all_points().map(|(y, _)| y).collect();
        years.sort_unstable();
        years.dedup();
        let text = match years.as_slice() {
            [] => "Inga värden att visa i diagram.".to_owned(),
            [year] => format!("Värden bara för {year}: inget diagram."),
            _ => "För få värden för ett diagram.".to_owned(),
        };
        l.ops().push(Op::Text { x, y: plot_top + size + 4.0, size, bold: false, italic: false, grey: true, text });
        l.end();
        return;
    }
    let legend_height = size * 1.6;
    let axis_label_width = l.measure.width("000 000", size, false).min(width * 0.22);
    let (left, right) = (x + axis_label_width + 3.0, x + width - 4.0);
    let (plot_bottom, plot_top) = (top + height - legend_height - size - 4.0, plot_top + 2.0);

    // The ranges, a little room above and below.
    // A year's months run from January to December, whatever the values cover.
    let whole_year = if data.months { vec![1, 12] } else { Vec::new() };
    let years: Vec<i32> = data.all_points().map(|(y, _)| y).chain(data.selected_year).chain(whole_year).collect();
    let (first_year, last_year) = (years.iter().copied().min().unwrap_or(0), years.iter().copied().max().unwrap_or(0));
    let values: Vec<f64> = data.all_points().map(|(_, v)| v).filter(|v| v.is_finite()).collect();
    let (mut low, mut high) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if (high - low).abs() < 1e-9 {
        low -= 1.0;
        high += 1.0;
    }
    let pad = (high - low) * 0.1;
    let (low, high) = (if low >= 0.0 && low - pad < 0.0 { 0.0 } else { low - pad }, high + pad);
    let px = |year: i32| {
        let span = (last_year - first_year).max(1) as f32;
        left + (year - first_year) as f32 / span * (right - left)
    };
    let py = |value: f64| plot_bottom - ((value - low) / (high - low)) as f32 * (plot_bottom - plot_top);

    // Axes and grid.
    let path = |points: Vec<(f32, f32)>, width: f32, dash: Option<[f32; 2]>, grey: u8, fill: Option<u8>, closed: bool| Op::Path {
        points,
        closed,
        width,
        dash,
        grey,
        fill,
    };
    for tick in ticks(low, high, 4) {
        let y = py(tick);
        l.ops().push(path(vec![(left, y), (right, y)], 0.25, None, 200, None, false));
        let label = format_number(tick, data.decimals.min(2));
        let lx = left - 3.0 - l.measure.width(&label, size, false);
        l.ops().push(Op::Text { x: lx, y: y + size * 0.35, size, bold: false, italic: false, grey: true, text: label });
    }
    l.ops().push(path(vec![(left, plot_top), (left, plot_bottom), (right, plot_bottom)], 0.6, None, 0, None, false));
    let year_count = (last_year - first_year + 1).max(1);
    let every = ((year_count as f32 * l.measure.width("0000", size, false) * 1.6) / (right - left)).ceil().max(1.0) as i32;
    for year in (first_year..=last_year).filter(|y| (y - first_year) % every == 0 || *y == last_year) {
        let label = if data.months {
            crate::economy::month_short(u8::try_from(year).unwrap_or(1), crate::i18n::Lang::Swedish).to_owned()
        } else {
            year.to_string()
        };
        let lx = px(year) - l.measure.width(&label, size, false) / 2.0;
        l.ops().push(Op::Text { x: lx, y: plot_bottom + size + 2.0, size, bold: false, italic: false, grey: true, text: label });
    }
    // The selected year: a thin dotted line.
    if let Some(year) = data.selected_year.filter(|y| (first_year..=last_year).contains(y)) {
        l.ops().push(path(vec![(px(year), plot_top), (px(year), plot_bottom)], 0.5, Some([0.6, 1.4]), 90, None, false));
    }
    // The baseline: a dashed level from its year on; the targets: hollow diamonds on the path.
    if let Some((year, value)) = data.baseline {
        l.ops().push(path(vec![(px(year), py(value)), (right, py(value))], 0.7, Some([4.0, 2.5]), 120, None, false));
    }
    let target_path: Vec<(f32, f32)> = data.baseline.iter().chain(data.targets.iter()).map(|(y, v)| (px(*y), py(*v))).collect();
    if target_path.len() >= 2 {
        l.ops().push(path(target_path, 0.6, Some([1.5, 1.5]), 90, None, false));
    }
    for (year, value) in &data.targets {
        l.ops().push(path(marker_points(Marker::Diamond, px(*year), py(*value), 2.6), 0.8, None, 0, Some(255), true));
    }
    // The outcomes, one line each.
    for (index, series) in data.series.iter().enumerate() {
        let style = style(index, series.kind);
        let points: Vec<(f32, f32)> = series.points.iter().map(|(y, v)| (px(*y), py(*v))).collect();
        if points.len() >= 2 {
            l.ops().push(path(points.clone(), style.width, style.dash, style.grey, None, false));
        }
        let filled = index % 2 == 0;
        for (mx, my) in points {
            let fill = if filled { Some(style.grey) } else { Some(255) };
            l.ops().push(path(marker_points(style.marker, mx, my, 1.8), 0.6, None, style.grey, fill, true));
        }
    }
    // The legend: a sample of each line with its marker, then the target and the baseline.
    let mut lx = x;
    let ly = top + height - size * 0.6;
    let entry = |l: &mut Layout<'_>, ops: Vec<Op>, label: &str, lx: &mut f32| {
        for op in ops {
            l.ops().push(op);
        }
        l.ops().push(Op::Text { x: *lx + 16.0, y: ly + size * 0.35, size, bold: false, italic: false, grey: false, text: label.to_owned() });
        *lx += 22.0 + l.measure.width(label, size, false);
    };
    for (index, series) in data.series.iter().enumerate() {
        let style = style(index, series.kind);
        let fill = if index % 2 == 0 { Some(style.grey) } else { Some(255) };
        let ops = vec![
            path(vec![(lx, ly), (lx + 13.0, ly)], style.width, style.dash, style.grey, None, false),
            path(marker_points(style.marker, lx + 6.5, ly, 1.8), 0.6, None, style.grey, fill, true),
        ];
        entry(l, ops, &series.name, &mut lx);
    }
    if !data.targets.is_empty() {
        let ops = vec![path(marker_points(Marker::Diamond, lx + 6.5, ly, 2.6), 0.8, None, 0, Some(255), true)];
        entry(l, ops, &data.target_label, &mut lx);
    }
    if data.baseline.is_some() {
        let ops = vec![path(vec![(lx, ly), (lx + 13.0, ly)], 0.7, Some([4.0, 2.5]), 120, None, false)];
        entry(l, ops, &data.baseline_label, &mut lx);
    }
    l.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 10.0, 4), vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        let t = ticks(1.7, 3.6, 4);
        assert!(t.first().unwrap() >= &1.7 && t.last().unwrap() <= &3.6 && t.len() >= 3, "{t:?}");
    }

    #[test]
    fn one_point_is_not_a_chart_and_the_alt_text_reads_the_values() {
        let mut data = ChartData {
            title: "Sjukfrånvaro".into(),
            decimals: 1,
            series: vec![ChartSeries { name: "Totalt".into(), kind: SeriesKind::Total, points: vec![(2022, 1.7)] }],
            baseline: None,
            targets: vec![],
            selected_year: Some(2022),
            months: false,
            target_label: "Mål".into(),
            baseline_label: "Utgångsvärde".into(),
        };
        assert!(!data.drawable());
        data.series[0].points.insert(0, (2021, 3.0));
        data.targets.push((2022, 3.0));
        assert!(data.drawable());
        assert_eq!(data.alt_text(), "Diagram: Sjukfrånvaro. Totalt: 2021 3,0, 2022 1,7. mål 2022 3,0");
    }
}

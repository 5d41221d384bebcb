//! Draws the shared symbol geometry (`crate::symbols`) with egui shapes.

use egui::{Color32, Pos2, Rect, Response, Sense, Shape, Stroke, Ui, Vec2};

use crate::model::{Assessment, CommitmentStatus, Trend};
use crate::symbols::{self, Part, Symbol, Tone};

fn tone_color(tone: Tone, ui: &Ui) -> Color32 {
    match tone {
        Tone::Green => Color32::from_rgb(0x2e, 0x8b, 0x3a),
        Tone::Yellow => Color32::from_rgb(0xe0, 0xa8, 0x00),
        Tone::Red => Color32::from_rgb(0xc8, 0x2a, 0x2a),
        Tone::Neutral => ui.visuals().text_color(),
    }
}

/// Paints a symbol into `rect`.
pub fn paint(ui: &Ui, rect: Rect, symbol: &Symbol) {
    let painter = ui.painter();
    let color = tone_color(symbol.tone, ui);
    let outline = Stroke::new((rect.width() * 0.09).max(1.0), ui.visuals().text_color());
    let at = |(x, y): (f32, f32)| Pos2::new(rect.left() + x * rect.width(), rect.top() + y * rect.height());
    let size = rect.width().min(rect.height());
    for part in &symbol.parts {
        match part {
            Part::Circle { center, radius, filled } => {
                let fill = if *filled { color } else { Color32::TRANSPARENT };
                // An empty circle takes the tone in its outline so red reads as red.
                let stroke = if *filled || symbol.tone == Tone::Neutral {
                    outline
                } else {
                    Stroke::new(outline.width * 1.4, color)
                };
                painter.circle(at(*center), radius * size, fill, stroke);
            }
            Part::FilledPolygon(points) => {
                let points: Vec<Pos2> = points.iter().map(|p| at(*p)).collect();
                painter.add(Shape::convex_polygon(points, color, Stroke::new(outline.width * 0.5, color)));
            }
            Part::Line { points, width } => {
                let points: Vec<Pos2> = points.iter().map(|p| at(*p)).collect();
                let line_color = if symbol.tone == Tone::Neutral { outline.color } else { color };
                painter.add(Shape::line(points, Stroke::new((width * size).max(1.0), line_color)));
            }
            Part::Dot { center, radius } => {
                let dot_color = if symbol.tone == Tone::Yellow { outline.color } else { color };
                painter.circle_filled(at(*center), (radius * size).max(1.0), dot_color);
            }
        }
    }
}

/// Allocates a square of `size` points, paints the symbol and gives it a hover text.
pub fn symbol_ui(ui: &mut Ui, size: f32, symbol: &Symbol, hover: &str) -> Response {
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    if ui.is_rect_visible(rect) {
        paint(ui, rect, symbol);
    }
    response.on_hover_text(hover)
}

/// The circle an indicator's status is drawn with (no data: the empty "not assessed" one).
pub fn indicator_assessment(status: crate::followup::IndicatorStatus) -> Assessment {
    use crate::followup::IndicatorStatus as S;
    match status {
        S::Achieved => Assessment::Achieved,
        S::Partly => Assessment::Partly,
        S::NotAchieved => Assessment::NotAchieved,
        S::NoData => Assessment::NotAssessed,
    }
}

pub fn assessment_ui(ui: &mut Ui, size: f32, assessment: Assessment, hover: &str) -> Response {
    symbol_ui(ui, size, &symbols::assessment(assessment), hover)
}

pub fn trend_ui(ui: &mut Ui, size: f32, trend: Trend, hover: &str) -> Response {
    symbol_ui(ui, size, &symbols::trend(trend), hover)
}

pub fn commitment_ui(ui: &mut Ui, size: f32, status: CommitmentStatus, hover: &str) -> Response {
    symbol_ui(ui, size, &symbols::commitment_status(status), hover)
}

pub fn completion_ui(ui: &mut Ui, size: f32, percent: u8, hover: &str) -> Response {
    symbol_ui(ui, size, &symbols::completion(percent), hover)
}

/// A warning sign (the delayed commitment's triangle), for figures that disagree.
pub fn warning_ui(ui: &mut Ui, size: f32, hover: &str) -> Response {
    symbol_ui(ui, size, &symbols::commitment_status(CommitmentStatus::Delayed), hover)
}

/// A small disclosure triangle (drawn, not a glyph): pointing right when collapsed.
pub fn paint_disclosure(ui: &Ui, rect: Rect, open: bool) {
    let c = rect.center();
    let r = rect.width().min(rect.height()) * 0.3;
    let points = if open {
        vec![Pos2::new(c.x - r, c.y - r * 0.6), Pos2::new(c.x + r, c.y - r * 0.6), Pos2::new(c.x, c.y + r * 0.7)]
    } else {
        vec![Pos2::new(c.x - r * 0.6, c.y - r), Pos2::new(c.x + r * 0.7, c.y), Pos2::new(c.x - r * 0.6, c.y + r)]
    };
    let color = ui.visuals().weak_text_color();
    ui.painter().add(Shape::convex_polygon(points, color, Stroke::NONE));
}

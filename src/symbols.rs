//! The follow-up symbols as vector geometry in a unit box (0..1 × 0..1, y down), shared by the
//! app (egui shapes) and the printed report (PDF paths). Shapes carry the meaning so that a
//! black-and-white print reads correctly; colour only helps.

use crate::model::{Assessment, CommitmentStatus, Trend};

pub type Point = (f32, f32);

/// One piece of a symbol.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A circle: centre, radius, filled with the symbol's colour or not; always outlined.
    Circle { center: Point, radius: f32, filled: bool },
    /// A closed polygon, filled with the symbol's colour and outlined.
    FilledPolygon(Vec<Point>),
    /// An open line of the given relative width.
    Line { points: Vec<Point>, width: f32 },
    /// A small filled dot (the point of "!").
    Dot { center: Point, radius: f32 },
}

/// The colour a symbol is drawn in, when colour is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Green,
    Yellow,
    Red,
    Neutral,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub parts: Vec<Part>,
    pub tone: Tone,
}

impl Tone {
    /// The printed colour (the shapes carry the meaning; colour only helps).
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Tone::Green => (0x2e, 0x8b, 0x3a),
            Tone::Yellow => (0xe0, 0xa8, 0x00),
            Tone::Red => (0xc8, 0x2a, 0x2a),
            Tone::Neutral => (0, 0, 0),
        }
    }
}

const CENTER: Point = (0.5, 0.5);
const RADIUS: f32 = 0.42;

/// ● uppnår (filled), ◐ delvis (left half filled), ○ ej uppnår (empty), and a small dashed-like
/// ring for ej bedömd.
pub fn assessment(assessment: Assessment) -> Symbol {
    match assessment {
        Assessment::Achieved => Symbol {
            parts: vec![Part::Circle { center: CENTER, radius: RADIUS, filled: true }],
            tone: Tone::Green,
        },
        Assessment::Partly => Symbol {
            parts: vec![
                Part::Circle { center: CENTER, radius: RADIUS, filled: false },
                Part::FilledPolygon(pie(CENTER, RADIUS, 0.5, 0.5)),
            ],
            tone: Tone::Yellow,
        },
        Assessment::NotAchieved => Symbol {
            parts: vec![Part::Circle { center: CENTER, radius: RADIUS, filled: false }],
            tone: Tone::Red,
        },
        Assessment::NotAssessed => Symbol {
            parts: vec![Part::Line {
                points: vec![(0.25, 0.5), (0.75, 0.5)],
                width: 0.1,
            }],
            tone: Tone::Neutral,
        },
    }
}

/// ↗ bättre, → oförändrad, ↘ sämre: a shaft with an open arrow head.
pub fn trend(trend: Trend) -> Symbol {
    let (from, to) = match trend {
        Trend::Better => ((0.18, 0.82), (0.82, 0.18)),
        Trend::Unchanged => ((0.1, 0.5), (0.9, 0.5)),
        Trend::Worse => ((0.18, 0.18), (0.82, 0.82)),
    };
    let (dx, dy): (f32, f32) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = (dx / length, dy / length);
    let head = 0.3;
    // Two barbs at ±40° back from the tip.
    let barb = |angle: f32| {
        let (s, c) = angle.sin_cos();
        let (bx, by) = (-ux * c + uy * s, -ux * s - uy * c);
        (to.0 + bx * head, to.1 + by * head)
    };
    let angle = 40f32.to_radians();
    Symbol {
        parts: vec![
            Part::Line { points: vec![from, to], width: 0.11 },
            Part::Line { points: vec![barb(angle), to, barb(-angle)], width: 0.11 },
        ],
        tone: Tone::Neutral,
    }
}

/// ✔ for done, a warning triangle with "!" for delayed, a ring with a slash for cancelled,
/// and an empty ring for not started; in progress is shown as "…" (three dots).
pub fn commitment_status(status: CommitmentStatus) -> Symbol {
    match status {
        CommitmentStatus::Done => Symbol {
            parts: vec![Part::Line {
                points: vec![(0.15, 0.55), (0.4, 0.8), (0.88, 0.2)],
                width: 0.14,
            }],
            tone: Tone::Green,
        },
        CommitmentStatus::Delayed => Symbol {
            parts: vec![
                Part::FilledPolygon(vec![(0.5, 0.08), (0.95, 0.9), (0.05, 0.9)]),
                Part::Line { points: vec![(0.5, 0.35), (0.5, 0.62)], width: 0.1 },
                Part::Dot { center: (0.5, 0.76), radius: 0.06 },
            ],
            tone: Tone::Yellow,
        },
        CommitmentStatus::InProgress => Symbol {
            parts: vec![
                Part::Dot { center: (0.2, 0.6), radius: 0.08 },
                Part::Dot { center: (0.5, 0.6), radius: 0.08 },
                Part::Dot { center: (0.8, 0.6), radius: 0.08 },
            ],
            tone: Tone::Neutral,
        },
        CommitmentStatus::NotStarted => Symbol {
            parts: vec![Part::Circle { center: CENTER, radius: 0.3, filled: false }],
            tone: Tone::Neutral,
        },
        CommitmentStatus::Cancelled => Symbol {
            parts: vec![
                Part::Circle { center: CENTER, radius: 0.35, filled: false },
                Part::Line { points: vec![(0.25, 0.75), (0.75, 0.25)], width: 0.1 },
            ],
            tone: Tone::Red,
        },
    }
}

/// A completion circle (Harvey ball): an outlined circle with `percent` of it filled as a pie
/// slice, clockwise from twelve o'clock.
pub fn completion(percent: u8) -> Symbol {
    let share = f32::from(percent.min(100)) / 100.0;
    let mut parts = vec![Part::Circle { center: CENTER, radius: RADIUS, filled: percent >= 100 }];
    if share > 0.0 && share < 1.0 {
        parts.push(Part::FilledPolygon(pie(CENTER, RADIUS, 0.0, share)));
    }
    Symbol { parts, tone: Tone::Neutral }
}

/// A pie slice from `start` to `start + share` of a full turn, clockwise from twelve o'clock.
fn pie(center: Point, radius: f32, start: f32, share: f32) -> Vec<Point> {
    let steps = ((share * 48.0).ceil() as usize).max(2);
    let mut points = Vec::with_capacity(steps + 2);
    points.push(center);
    for i in 0..=steps {
        let turn = start + share * i as f32 / steps as f32;
        let angle = turn * std::f32::consts::TAU;
        points.push((center.0 + radius * angle.sin(), center.1 - radius * angle.cos()));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled_area(symbol: &Symbol) -> f32 {
        symbol
            .parts
            .iter()
            .map(|part| match part {
                Part::Circle { radius, filled: true, .. } => std::f32::consts::PI * radius * radius,
                Part::FilledPolygon(points) => polygon_area(points),
                _ => 0.0,
            })
            .sum()
    }

    fn polygon_area(points: &[Point]) -> f32 {
        let n = points.len();
        (0..n)
            .map(|i| {
                let (a, b) = (points[i], points[(i + 1) % n]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum::<f32>()
            .abs()
            / 2.0
    }

    #[test]
    fn assessment_shapes_differ_by_filled_share() {
        let full = std::f32::consts::PI * RADIUS * RADIUS;
        assert!((filled_area(&assessment(Assessment::Achieved)) - full).abs() < 1e-4);
        let half = filled_area(&assessment(Assessment::Partly));
        assert!((half / full - 0.5).abs() < 0.01, "{}", half / full);
        assert_eq!(filled_area(&assessment(Assessment::NotAchieved)), 0.0);
    }

    #[test]
    fn completion_fills_its_share() {
        let full = std::f32::consts::PI * RADIUS * RADIUS;
        for percent in [0u8, 20, 80, 100] {
            let share = filled_area(&completion(percent)) / full;
            assert!((share - f32::from(percent) / 100.0).abs() < 0.01, "{percent}: {share}");
        }
    }

    #[test]
    fn trend_arrows_point_their_way() {
        let tip = |t| match &trend(t).parts[0] {
            Part::Line { points, .. } => points[1],
            _ => unreachable!(),
        };
        assert!(tip(Trend::Better).1 < 0.5, "up");
        assert!((tip(Trend::Unchanged).1 - 0.5).abs() < 1e-6, "level");
        assert!(tip(Trend::Worse).1 > 0.5, "down");
    }
}

//! Municipality-scale benchmarks. Each group compares two things measured in the same run, so
//! the ratio is what counts (see BENCHMARKS.md): RON vs JSON load and save of the large plan,
//! full follow-up vs editing one outcome and updating the cached results, and one UI frame
//! (layout + tessellation) with the large plan vs a small one, for the editor and for
//! scrolling the indicator list.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use malplan::followup::{self, Selection};
use malplan::generate::{Scale, generate};
use malplan::model::Plan;
use malplan::storage;

fn load_and_save(c: &mut Criterion) {
    let plan = generate(Scale::Large);
    let ron_text = storage::to_ron_string(&plan).unwrap();
    let json_text = serde_json::to_string(&plan).unwrap();
    let mut group = c.benchmark_group("large plan");
    group.sample_size(10);
    group.bench_function("load RON (parse + migrate)", |b| b.iter(|| storage::parse_str(black_box(&ron_text), "large.ron").unwrap()));
    group.bench_function("load JSON (serde_json)", |b| b.iter(|| serde_json::from_str::<Plan>(black_box(&json_text)).unwrap()));
    group.bench_function("load RON + validate + follow-up", |b| {
        b.iter(|| {
            let plan = storage::parse_str(black_box(&ron_text), "large.ron").unwrap();
            let problems = malplan::validate::validate(&plan);
            let result = followup::compute(&plan, Selection::Year(2024));
            (problems.len(), result.indicators.len())
        })
    });
    group.bench_function("save RON", |b| b.iter(|| storage::to_ron_string(black_box(&plan)).unwrap()));
    group.bench_function("save JSON (serde_json, pretty)", |b| b.iter(|| serde_json::to_string_pretty(black_box(&plan)).unwrap()));
    group.finish();
}

fn follow_up(c: &mut Criterion) {
    use malplan::edit::{Document, Edit};
    use malplan::followup::FollowUpCache;

    let plan = generate(Scale::Large);
    let selection = Selection::Period(plan.periods[0].id);
    let mut group = c.benchmark_group("follow-up, large plan");
    group.sample_size(10);
    group.bench_function("full computation", |b| b.iter(|| followup::compute(black_box(&plan), selection)));
    // The app's path: one outcome edited through the document, then the cached results
    // brought up to date (the edited indicator and the goals above it).
    let mut doc = Document::new(plan, None);
    let mut cache = FollowUpCache::default();
    cache.get_with_changes(doc.plan(), doc.revision(), selection, |r| doc.changes_since(r));
    let mut toggle = false;
    group.bench_function("edit one outcome + update", |b| {
        b.iter(|| {
            toggle = !toggle;
            let mut indicator = doc.plan().indicators[1000].clone();
            let value = if toggle { 12.5 } else { 99.0 };
            malplan::model::set_value(&mut indicator.series[0].outcomes, 2024, Some(value));
            doc.apply(Edit::Indicator(indicator)).unwrap();
            cache.get_with_changes(doc.plan(), doc.revision(), selection, |r| doc.changes_since(r))
        })
    });
    assert_eq!(cache.full_computations, 1, "every edit must have been an update");
    group.finish();
}

/// The real app in a headless egui context (1280×800): one call is one frame, layout and
/// tessellation included.
struct HeadlessApp {
    app: malplan::app::MalplanApp,
    ctx: egui::Context,
}

impl HeadlessApp {
    /// The app on `plan` after `setup` and three warm-up frames (fonts, caches, selection).
    fn new(plan: Plan, setup: impl FnOnce(&mut malplan::app::MalplanApp)) -> Self {
        let mut this = Self {
            app: malplan::app::MalplanApp::new(plan, None, malplan::app::Settings::default()),
            ctx: egui::Context::default(),
        };
        setup(&mut this.app);
        for _ in 0..3 {
            this.frame(vec![egui::Event::PointerMoved(egui::pos2(640.0, 450.0))]);
        }
        this
    }

    /// Runs one frame with these input events; returns the number of tessellated primitives.
    fn frame(&mut self, events: Vec<egui::Event>) -> usize {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            events,
            ..Default::default()
        };
        let app = &mut self.app;
        let output = self.ctx.run_ui(input, |ui| app.show(ui));
        self.ctx.tessellate(output.shapes, output.pixels_per_point).len()
    }
}

/// Benchmarks the same kind of frame with the large and the small plan, in one group.
fn large_vs_small<F: FnMut() -> usize>(c: &mut Criterion, group: &str, mut frames_for: impl FnMut(Plan) -> F) {
    let mut large = frames_for(generate(Scale::Large));
    let mut small = frames_for(generate(Scale::Small));
    let mut group = c.benchmark_group(group);
    group.sample_size(20);
    group.bench_function("large plan", |b| b.iter(&mut large));
    group.bench_function("small plan", |b| b.iter(&mut small));
    group.finish();
}

fn select_middle_indicator(plan: &Plan) -> impl FnOnce(&mut malplan::app::MalplanApp) + use<> {
    let indicator = plan.indicators[plan.indicators.len() / 2].id;
    move |app| app.send(malplan::app::Command::Select(malplan::outline::NodeRef::Indicator(indicator)))
}

/// A deep indicator selected: tree, editor, value table and chart.
fn frame(c: &mut Criterion) {
    large_vs_small(c, "UI frame, deep indicator selected", |plan| {
        let select = select_middle_indicator(&plan);
        let mut headless = HeadlessApp::new(plan, select);
        move || headless.frame(Vec::new())
    });
}

/// One frame right after editing an outcome of the selected indicator (as typing in its table
/// does): the edit, the follow-up update, the tree's cached rows rebuilt, layout and
/// tessellation – large plan vs small.
fn frame_after_edit(c: &mut Criterion) {
    use malplan::app::Command;
    use malplan::edit::Edit;

    large_vs_small(c, "UI frame after editing an outcome", |plan| {
        let index = plan.indicators.len() / 2;
        let select = select_middle_indicator(&plan);
        let mut headless = HeadlessApp::new(plan, select);
        let mut toggle = false;
        move || {
            toggle = !toggle;
            let mut edited = headless.app.plan().indicators[index].clone();
            let value = if toggle { 12.5 } else { 99.0 };
            malplan::model::set_value(&mut edited.series[0].outcomes, 2024, Some(value));
            headless.app.send(Command::Edit { edit: Edit::Indicator(edited), merge: None });
            headless.frame(Vec::new())
        }
    });
}

/// The whole-plan indicator list, scrolled by the mouse wheel every frame (down for 40 frames,
/// then up again), with the large and the small plan.
fn list_scroll(c: &mut Criterion) {
    use malplan::app::{Command, View};

    large_vs_small(c, "UI frame, indicator list scrolling", |plan| {
        let mut headless = HeadlessApp::new(plan, |app| app.send(Command::ShowView(View::IndicatorList)));
        let mut frame = 0u64;
        move || {
            frame += 1;
            let down = (frame / 40) % 2 == 0;
            let wheel = egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, if down { -300.0 } else { 300.0 }),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            };
            headless.frame(vec![egui::Event::PointerMoved(egui::pos2(640.0, 450.0)), wheel])
        }
    });
}

criterion_group!(benches, load_and_save, follow_up, frame, frame_after_edit, list_scroll);
criterion_main!(benches);

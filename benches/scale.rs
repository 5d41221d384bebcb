//! Municipality-scale benchmarks. Each group compares two things measured in the same run, so
//! the ratio is what counts (see BENCHMARKS.md): RON vs JSON load and save of the large plan,
//! full follow-up vs the per-indicator work of one edit, and one UI frame (layout +
//! tessellation) with the large plan vs a small one.

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
    let plan = generate(Scale::Large);
    let selection = Selection::Year(2024);
    let edited = plan.indicators[1000].clone();
    let mut group = c.benchmark_group("follow-up, large plan");
    group.sample_size(10);
    group.bench_function("full computation", |b| b.iter(|| followup::compute(black_box(&plan), selection)));
    group.bench_function("one edited indicator", |b| b.iter(|| followup::indicator_result(black_box(&plan), black_box(&edited), 2024)));
    group.finish();
}

fn frame(c: &mut Criterion) {
    use malplan::app::{Command, MalplanApp, Settings};
    use malplan::outline::NodeRef;

    let frame_for = |plan: Plan| {
        let indicator = plan.indicators[plan.indicators.len() / 2].id;
        let mut app = MalplanApp::new(plan, None, Settings::default());
        let ctx = egui::Context::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            ..Default::default()
        };
        app.send(Command::Select(NodeRef::Indicator(indicator)));
        // Warm up: fonts, caches and the selection.
        for _ in 0..3 {
            let _ = ctx.run_ui(input(), |ui| app.show(ui));
        }
        move || {
            let output = ctx.run_ui(input(), |ui| app.show(ui));
            ctx.tessellate(output.shapes, output.pixels_per_point).len()
        }
    };
    let mut large = frame_for(generate(Scale::Large));
    let mut small = frame_for(generate(Scale::Small));
    let mut group = c.benchmark_group("UI frame, deep indicator selected");
    group.sample_size(20);
    group.bench_function("large plan", |b| b.iter(&mut large));
    group.bench_function("small plan", |b| b.iter(&mut small));
    group.finish();
}

criterion_group!(benches, load_and_save, follow_up, frame);
criterion_main!(benches);

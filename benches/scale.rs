//! Municipality-scale benchmarks. Each group compares two things measured in the same run, so
//! the ratio is what counts (see BENCHMARKS.md): RON vs JSON load and save of the large plan,
//! and full follow-up vs editing one outcome and updating the cached results. The UI frames
//! are in `benches/ui.rs`.

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

criterion_group!(benches, load_and_save, follow_up);
criterion_main!(benches);

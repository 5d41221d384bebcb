//! What the app's UI tests share: the real app in a headless 1280×800 harness, the sample
//! plans, and waiting for background jobs.
#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::Vec2;
use egui_kittest::Harness;
use malplan::app::{MalplanApp, Settings};
use malplan::command::EditCommand;
use malplan::model::Plan;

pub fn sample_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples").join(name)
}

/// The app in a harness, after three frames (fonts, caches, first layout).
pub fn harness(app: MalplanApp) -> Harness<'static, MalplanApp> {
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut MalplanApp| app.show(ui), app);
    harness.run_steps(3);
    harness
}

/// The KS report copied to a temp dir (so saving does not touch the sample), in the app.
pub fn ks_report() -> (tempfile::TempDir, PathBuf, Harness<'static, MalplanApp>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ks.ron");
    std::fs::copy(sample_path("eskilstuna-ks-delar2-2022.ron"), &path).unwrap();
    let app = MalplanApp::start(Some(path.clone()), Settings::default());
    assert!(app.dialog().is_none(), "sample opens without error");
    (dir, path, harness(app))
}

/// Steps frames until no job runs (opening, saving, exports, imports and checks of large
/// plans run on workers), then a few more for the result to show.
pub fn settle(h: &mut Harness<'static, MalplanApp>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    h.run_steps(1);
    while h.state().has_running_jobs() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        h.run_steps(1);
    }
    h.run_steps(3);
}

pub fn goal_id(plan: &Plan, title: &str) -> malplan::model::ItemId {
    plan.goals.iter().find(|g| g.title == title).unwrap_or_else(|| panic!("{title}")).id
}

/// An edit through the app's command queue: the first goal's title gets `suffix`.
pub fn rename_first_goal(h: &mut Harness<'static, MalplanApp>, suffix: &str) {
    let mut goal = h.state().plan().goals[0].clone();
    goal.title.push_str(suffix);
    h.state_mut().send(EditCommand::Apply { edit: malplan::edit::Edit::Goal(goal), merge: None });
    h.run_steps(2);
}

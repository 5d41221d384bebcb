//! The app's only contact with the outside: the desktop (file dialogs, the system's PDF
//! viewer) behind a trait so tests can stand in for it, background jobs with progress and
//! cancelling, and the temporary files printing leaves behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::ui::dialogs::Progress;

/// File dialogs and the system viewer. [`SystemDesktop`] uses the real ones.
pub trait Desktop {
    fn pick_plan_to_open(&mut self) -> Option<PathBuf>;
    fn pick_plan_to_save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    fn pick_kolada_files(&mut self) -> Option<Vec<PathBuf>>;
    fn pick_sheet_to_open(&mut self) -> Option<PathBuf>;
    fn pick_sheet_to_save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    fn pick_pdf_to_save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// Where to write the whole document: PDF or Word (.docx), chosen by the name.
    fn pick_document_to_save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// Opens a file in the desktop's default program (the PDF viewer prints it).
    fn open_in_viewer(&mut self, path: &Path) -> Result<(), String>;
}

/// The desktop's own file dialogs (rfd) and default programs.
pub struct SystemDesktop;

fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_none() { path.with_extension(extension) } else { path }
}

impl Desktop for SystemDesktop {
    fn pick_plan_to_open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new().add_filter("Målplan (.ron)", &["ron"]).pick_file()
    }

    fn pick_plan_to_save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Målplan (.ron)", &["ron"])
            .set_file_name(suggested_name)
            .save_file()
            .map(|p| with_extension(p, "ron"))
    }

    fn pick_kolada_files(&mut self) -> Option<Vec<PathBuf>> {
        rfd::FileDialog::new().add_filter("Kolada (JSON)", &["json"]).pick_files()
    }

    fn pick_sheet_to_open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Kalkylblad eller SIE", &["xlsx", "xls", "ods", "csv", "se", "si", "sie"])
            .add_filter("Kalkylblad", &["xlsx", "xls", "ods", "csv"])
            .add_filter("SIE (bokföring)", &["se", "si", "sie"])
            .pick_file()
    }

    fn pick_sheet_to_save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Excel", &["xlsx"])
            .add_filter("CSV (Excel, semikolon)", &["csv"])
            .set_file_name(suggested_name)
            .save_file()
            .map(|p| with_extension(p, "xlsx"))
    }

    fn pick_pdf_to_save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("PDF", &["pdf"])
            .set_file_name(suggested_name)
            .save_file()
            .map(|p| with_extension(p, "pdf"))
    }

    fn pick_document_to_save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        let picked = rfd::FileDialog::new()
            .add_filter("PDF", &["pdf"])
            .add_filter("Word", &["docx"])
            .set_file_name(suggested_name)
            .save_file()?;
        let is_word = picked.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        Some(if is_word { picked } else { with_extension(picked, "pdf") })
    }

    fn open_in_viewer(&mut self, path: &Path) -> Result<(), String> {
        #[cfg(target_os = "windows")]
        let result = std::process::Command::new("cmd").args(["/C", "start", ""]).arg(path).spawn();
        #[cfg(target_os = "macos")]
        let result = std::process::Command::new("open").arg(path).spawn();
        #[cfg(not(any(target_os = "windows", target_os = "macos")))]
        let result = std::process::Command::new("xdg-open").arg(path).spawn();
        result.map(drop).map_err(|e| e.to_string())
    }
}

/// A stand-in desktop for tests and benchmarks: every file dialog answers with the next of
/// the queued answers (none left: cancelled), and files "opened in the viewer" are recorded.
#[derive(Clone, Default)]
pub struct ScriptedDesktop {
    pub answers: Arc<std::sync::Mutex<std::collections::VecDeque<PathBuf>>>,
    pub opened: Arc<std::sync::Mutex<Vec<PathBuf>>>,
}

impl ScriptedDesktop {
    pub fn answering(paths: impl IntoIterator<Item = PathBuf>) -> Self {
        let this = Self::default();
        this.answers.lock().map(|mut a| a.extend(paths)).ok();
        this
    }

    fn next(&mut self) -> Option<PathBuf> {
        self.answers.lock().ok()?.pop_front()
    }
}

impl Desktop for ScriptedDesktop {
    fn pick_plan_to_open(&mut self) -> Option<PathBuf> {
        self.next()
    }
    fn pick_plan_to_save(&mut self, _: &str) -> Option<PathBuf> {
        self.next()
    }
    fn pick_kolada_files(&mut self) -> Option<Vec<PathBuf>> {
        self.next().map(|p| vec![p])
    }
    fn pick_sheet_to_open(&mut self) -> Option<PathBuf> {
        self.next()
    }
    fn pick_sheet_to_save(&mut self, _: &str) -> Option<PathBuf> {
        self.next()
    }
    fn pick_pdf_to_save(&mut self, _: &str) -> Option<PathBuf> {
        self.next()
    }
    fn pick_document_to_save(&mut self, _: &str) -> Option<PathBuf> {
        self.next()
    }
    fn open_in_viewer(&mut self, path: &Path) -> Result<(), String> {
        self.opened.lock().map_err(|e| e.to_string())?.push(path.to_path_buf());
        Ok(())
    }
}

/// A job's answer, applied by the shell on the UI thread.
pub enum JobOutput<T> {
    Done(T),
    /// The job was cancelled, or its thread died (the reason).
    Lost(Option<String>),
}

struct Running<T> {
    label: String,
    started: Instant,
    cancellable: bool,
    cancel: Arc<AtomicBool>,
    /// Steps done (high 32 bits) and planned (low 32 bits), for jobs that count their steps.
    steps: Arc<std::sync::atomic::AtomicU64>,
    receiver: Receiver<T>,
}

/// Jobs off the UI thread: at most one *foreground* job owns the document (open, save,
/// export, import – the window keeps drawing and shows its progress; actions that touch the
/// document wait), any number of *background* ones (autosave, checking the plan).
pub struct Jobs<T> {
    foreground: Option<Running<T>>,
    background: Vec<Running<T>>,
}

impl<T> Default for Jobs<T> {
    fn default() -> Self {
        Self { foreground: None, background: Vec::new() }
    }
}

impl<T: Send + 'static> Jobs<T> {
    fn spawn(label: String, cancellable: bool, work: impl FnOnce(&AtomicBool, &dyn Fn(usize, usize)) -> T + Send + 'static) -> Running<T> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let steps = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (flag, counter) = (Arc::clone(&cancel), Arc::clone(&steps));
        super::threads::WorkerPool::shared().run(move || {
            let report = move |done: usize, planned: usize| {
                let packed = ((done.min(u32::MAX as usize) as u64) << 32) | planned.min(u32::MAX as usize) as u64;
                counter.store(packed, Ordering::Relaxed);
            };
            let _ = sender.send(work(&flag, &report));
        });
        Running { label, started: Instant::now(), cancellable, cancel, steps, receiver }
    }

    /// Starts a job that owns the document. Refused (returns `false`) while another runs.
    pub fn start_foreground(&mut self, label: String, cancellable: bool, work: impl FnOnce(&AtomicBool) -> T + Send + 'static) -> bool {
        if self.foreground.is_some() {
            return false;
        }
        self.foreground = Some(Self::spawn(label, cancellable, move |cancel, _| work(cancel)));
        true
    }

    /// As [`Jobs::start_foreground`], for work that reports its steps (`done`, `planned`): the
    /// progress dialog shows a bar.
    pub fn start_foreground_counted(&mut self, label: String, cancellable: bool, work: impl FnOnce(&AtomicBool, &dyn Fn(usize, usize)) -> T + Send + 'static) -> bool {
        if self.foreground.is_some() {
            return false;
        }
        self.foreground = Some(Self::spawn(label, cancellable, work));
        true
    }

    pub fn start_background(&mut self, label: String, work: impl FnOnce(&AtomicBool) -> T + Send + 'static) {
        self.background.push(Self::spawn(label, false, move |cancel, _| work(cancel)));
    }

    /// A job owns the document.
    pub fn busy(&self) -> bool {
        self.foreground.is_some()
    }

    /// Any job at all is running (tests wait for this to settle).
    pub fn any_running(&self) -> bool {
        self.foreground.is_some() || !self.background.is_empty()
    }

    /// Asks the foreground job to stop; its result, if it still comes, is dropped.
    pub fn cancel(&mut self) {
        if let Some(job) = &self.foreground
            && job.cancellable
        {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    pub fn progress(&self) -> Option<Progress> {
        self.foreground.as_ref().map(|job| Progress {
            label: job.label.clone(),
            elapsed_secs: job.started.elapsed().as_secs_f32(),
            fraction: {
                let packed = job.steps.load(Ordering::Relaxed);
                let (done, planned) = (packed >> 32, packed & u64::from(u32::MAX));
                (planned > 0).then(|| (done as f32 / planned as f32).clamp(0.0, 1.0))
            },
            cancellable: job.cancellable,
            cancelling: job.cancel.load(Ordering::Relaxed),
        })
    }

    /// The results of every job that finished since the last call.
    pub fn finished(&mut self) -> Vec<JobOutput<T>> {
        let mut out = Vec::new();
        if let Some(job) = &self.foreground
            && let Some(result) = Self::check(job)
        {
            let cancelled = job.cancel.load(Ordering::Relaxed);
            self.foreground = None;
            out.push(match result {
                JobOutput::Done(_) if cancelled => JobOutput::Lost(None),
                other => other,
            });
        }
        let mut still_running = Vec::new();
        for job in std::mem::take(&mut self.background) {
            match Self::check(&job) {
                Some(result) => out.push(result),
                None => still_running.push(job),
            }
        }
        self.background = still_running;
        out
    }

    fn check(job: &Running<T>) -> Option<JobOutput<T>> {
        match job.receiver.try_recv() {
            Ok(result) => Some(JobOutput::Done(result)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(JobOutput::Lost(Some(format!("{}: avbröts oväntat", job.label)))),
        }
    }

    /// How soon to look again while jobs run (the window repaints to show progress).
    pub fn poll_interval(&self) -> Option<Duration> {
        self.any_running().then_some(Duration::from_millis(50))
    }
}

/// Where printing puts its temporary PDFs; they are removed when the app closes, and any
/// left by a crashed run are removed after a day.
pub struct PrintFiles {
    dir: PathBuf,
    written: Vec<PathBuf>,
    counter: u32,
}

const STALE_PRINT_FILE: Duration = Duration::from_secs(24 * 3600);

impl PrintFiles {
    pub fn new(dir: PathBuf) -> Self {
        // Leftovers of runs that ended without cleaning up.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > STALE_PRINT_FILE);
                if old {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Self { dir, written: Vec::new(), counter: 0 }
    }

    /// The system's temporary folder.
    pub fn in_temp_dir() -> Self {
        Self::new(std::env::temp_dir().join("malplan-print"))
    }

    /// A new file name for a report to print; remembered for removal.
    pub fn next_path(&mut self) -> Result<PathBuf, String> {
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        self.counter += 1;
        let path = self.dir.join(format!("lagesbild-{}-{}.pdf", std::process::id(), self.counter));
        self.written.push(path.clone());
        Ok(path)
    }

    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    /// Removes every file this run printed.
    pub fn remove_all(&mut self) {
        for path in self.written.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Drop for PrintFiles {
    fn drop(&mut self) {
        self.remove_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle<T: Send + 'static>(jobs: &mut Jobs<T>) -> Vec<JobOutput<T>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut out = Vec::new();
        while jobs.any_running() && Instant::now() < deadline {
            out.extend(jobs.finished());
            std::thread::sleep(Duration::from_millis(5));
        }
        out
    }

    #[test]
    fn a_foreground_job_owns_the_document_until_it_is_done() {
        let mut jobs: Jobs<u32> = Jobs::default();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        assert!(jobs.start_foreground("räknar".into(), false, move |_| {
            let _ = wait.recv();
            42
        }));
        assert!(jobs.busy());
        assert!(!jobs.start_foreground("en till".into(), false, |_| 1), "one at a time");
        assert_eq!(jobs.progress().unwrap().label, "räknar");
        assert!(jobs.finished().is_empty(), "still running");
        go.send(()).unwrap();
        let out = settle(&mut jobs);
        assert!(matches!(out.as_slice(), [JobOutput::Done(42)]));
        assert!(!jobs.busy());
    }

    #[test]
    fn a_cancelled_job_loses_its_result_and_a_dead_one_says_so() {
        let mut jobs: Jobs<u32> = Jobs::default();
        jobs.start_foreground("import".into(), true, |cancel| {
            while !cancel.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
            }
            7
        });
        jobs.cancel();
        assert!(jobs.progress().unwrap().cancelling);
        assert!(matches!(settle(&mut jobs).as_slice(), [JobOutput::Lost(None)]));

        jobs.start_background("kontroll".into(), |_| panic!("boom"));
        let out = settle(&mut jobs);
        assert!(matches!(out.as_slice(), [JobOutput::Lost(Some(reason))] if reason.contains("kontroll")));
    }

    #[test]
    fn print_files_are_removed_and_old_leftovers_too() {
        let dir = tempfile::tempdir().unwrap();
        let leftover = dir.path().join("lagesbild-1-1.pdf");
        std::fs::write(&leftover, "old").unwrap();
        let two_days_ago = std::time::SystemTime::now() - Duration::from_secs(48 * 3600);
        std::fs::File::options().write(true).open(&leftover).unwrap().set_modified(two_days_ago).unwrap();
        let recent = dir.path().join("lagesbild-2-1.pdf");
        std::fs::write(&recent, "another run's, still open").unwrap();

        let mut files = PrintFiles::new(dir.path().to_path_buf());
        assert!(!leftover.exists(), "a day-old leftover is removed");
        assert!(recent.exists(), "another running copy's file is left alone");
        let a = files.next_path().unwrap();
        let b = files.next_path().unwrap();
        assert_ne!(a, b);
        std::fs::write(&a, "pdf").unwrap();
        std::fs::write(&b, "pdf").unwrap();
        drop(files);
        assert!(!a.exists() && !b.exists());
    }

    #[test]
    fn a_counted_job_shows_how_far_it_has_come() {
        let mut jobs: Jobs<u32> = Jobs::default();
        let (go_on, wait) = std::sync::mpsc::channel::<()>();
        let (reported, seen) = std::sync::mpsc::channel::<()>();
        assert!(jobs.start_foreground_counted("x".into(), true, move |_, report| {
            report(1, 4);
            let _ = reported.send(());
            let _ = wait.recv();
            7
        }));
        seen.recv().unwrap();
        assert_eq!(jobs.progress().unwrap().fraction, Some(0.25));
        go_on.send(()).unwrap();
        // An uncounted job has no bar.
        let mut plain: Jobs<u32> = Jobs::default();
        let (go, hold) = std::sync::mpsc::channel::<()>();
        plain.start_foreground("y".into(), false, move |_| {
            let _ = hold.recv();
            1
        });
        assert_eq!(plain.progress().unwrap().fraction, None);
        go.send(()).unwrap();
    }
}

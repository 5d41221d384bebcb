//! The threads the shell's work runs on, so the window keeps its core.
//!
//! Measured on a 2-core machine (BENCHMARKS.md, session 7), the window's slow frames during
//! long jobs were mostly not its own work but waiting: a worker thread created in a frame ran
//! first on the window's core, threads created to free large plans competed with it for the
//! cores, and the memory allocator's lock was held for milliseconds by a thread merging the
//! blocks another had freed. So:
//! - jobs run on **long-lived worker threads** (started with the window, reused), so no thread
//!   is created in a frame;
//! - large values are freed by **one reclaimer thread**, not a new thread each time;
//! - on Linux both run as `SCHED_BATCH` at nice 5: waking one never takes the core from the
//!   window, the window waking takes it back, and a frame is not cut short for them; they still
//!   get every core the window leaves idle. (`SCHED_IDLE` was tried for the reclaimer: holding
//!   the allocator's lock while starved behind a worker, it made the window wait 12–15 ms.)
//! - glibc's fast bins are turned off ([`prepare_for_window`]).

use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, OnceLock};

type Task = Box<dyn FnOnce() + Send>;

/// Idle workers kept for the next job; more are started when more jobs run at once.
const KEPT_IDLE_WORKERS: usize = 4;

#[derive(Default)]
struct Queue {
    tasks: VecDeque<Task>,
    /// Workers waiting for a task.
    idle: usize,
    /// Workers started and not ended.
    workers: usize,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    task_ready: Condvar,
}

/// Long-lived worker threads: a task starts at once on an idle worker, or on a new one when
/// all are busy (a quick job never waits behind a long one).
#[derive(Default)]
pub struct WorkerPool {
    shared: Arc<Shared>,
}

impl WorkerPool {
    /// The app's pool.
    pub fn shared() -> &'static WorkerPool {
        static POOL: OnceLock<WorkerPool> = OnceLock::new();
        POOL.get_or_init(WorkerPool::default)
    }

    /// Runs `task` on a worker. A task that panics ends only itself: what it owned (its
    /// channel's sender, so the shell sees the job die) is dropped, and the worker goes on.
    pub fn run(&self, task: impl FnOnce() + Send + 'static) {
        let mut queue = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        queue.tasks.push_back(Box::new(task));
        if queue.tasks.len() > queue.idle {
            drop(queue);
            self.start_worker();
        } else {
            drop(queue);
            self.shared.task_ready.notify_one();
        }
    }

    /// Starts workers until `count` are there, so the first job's frame creates no thread (a
    /// thread created in a frame may first run on the window's core).
    fn keep_ready(&self, count: usize) {
        let missing = count.saturating_sub(
            self.shared
                .queue
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .workers,
        );
        for _ in 0..missing {
            self.start_worker();
        }
    }

    fn start_worker(&self) {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .workers += 1;
        let shared = Arc::clone(&self.shared);
        let started = std::thread::Builder::new()
            .name("malplan-worker".into())
            .spawn(move || {
                run_behind_the_window();
                worker_loop(&shared);
            });
        if started.is_err() {
            // No thread to be had: run the queued work here rather than lose it.
            let mut queue = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            queue.workers -= 1;
            let tasks: Vec<Task> = queue.tasks.drain(..).collect();
            drop(queue);
            for task in tasks {
                task();
            }
        }
    }

    /// Worker threads waiting for work.
    #[cfg(test)]
    fn idle_workers(&self) -> usize {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .idle
    }
}

fn worker_loop(shared: &Shared) {
    let mut queue = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(task) = queue.tasks.pop_front() {
            drop(queue);
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(task));
            queue = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            continue;
        }
        if queue.idle >= KEPT_IDLE_WORKERS {
            queue.workers -= 1;
            return;
        }
        queue.idle += 1;
        queue = shared
            .task_ready
            .wait(queue)
            .unwrap_or_else(|e| e.into_inner());
        queue.idle -= 1;
    }
}

/// Frees `value` on the reclaimer thread: for values large enough that freeing them would take
/// a frame (a replaced plan, an import's preview, the derived data they had).
pub fn drop_later<T: Send + 'static>(value: T) {
    static RECLAIMER: OnceLock<Sender<Box<dyn Send>>> = OnceLock::new();
    let sender = RECLAIMER.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Box<dyn Send>>();
        // Without the thread the receiver is gone with the closure, so sending fails and
        // values are freed where they are.
        let _ = std::thread::Builder::new()
            .name("malplan-reclaimer".into())
            .spawn(move || {
                run_behind_the_window();
                for value in receiver {
                    drop(value);
                }
            });
        sender
    });
    // Not sent (no reclaimer thread): the value comes back in the error and is freed here.
    drop(sender.send(Box::new(value)));
}

/// Prepares the process's threads for the window: workers started ahead and the allocator
/// told not to keep freed small blocks in "fast bins". glibc keeps such blocks in per-arena
/// lists that are merged all at once, under the arena's lock, when a larger block is next
/// asked for or freed: after a worker has freed a large plan that the window's thread had
/// allocated, that merge took 10–15 ms and the window waited for it (BENCHMARKS.md, session
/// 7). Without fast bins each block is merged as it is freed; the per-thread cache still serves
/// the common small allocations.
pub fn prepare_for_window() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: sets one of glibc's documented allocator parameters.
        unsafe {
            libc::mallopt(libc::M_MXFAST, 0);
        }
        WorkerPool::shared().keep_ready(2);
    });
}

/// How much less a worker weighs than the window when both want the same core: nice 5 is a
/// third of the window's share, so a frame is not cut short to let a worker catch up, while
/// the worker still gets every core the window leaves idle (almost all of them).
#[cfg(target_os = "linux")]
const WORKER_NICE: libc::c_int = 5;

/// Puts the calling thread behind the window: `SCHED_BATCH` (its waking never preempts the
/// window; the window waking preempts it) at nice 5. Both are open to every user; where
/// refused, or not on Linux, the thread keeps the normal policy.
fn run_behind_the_window() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: pid 0 and the thread id are the calling thread; `param` lives through the call.
        unsafe {
            libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
            libc::setpriority(
                libc::PRIO_PROCESS,
                libc::gettid() as libc::id_t,
                WORKER_NICE,
            );
        }
    }
}

/// The calling thread's scheduling policy and nice value (tests).
#[cfg(all(test, target_os = "linux"))]
fn current_policy() -> (i32, i32) {
    // SAFETY: no arguments but the calling thread's id.
    unsafe {
        (
            libc::sched_getscheduler(0),
            libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;
    use std::time::Duration;

    #[test]
    fn tasks_run_at_once_even_while_another_waits() {
        let pool = WorkerPool::default();
        let (release, held) = channel::<()>();
        let (done, finished) = channel::<&str>();
        let first = done.clone();
        pool.run(move || {
            let _ = held.recv();
            let _ = first.send("long");
        });
        pool.run(move || {
            let _ = done.send("quick");
        });
        assert_eq!(
            finished.recv_timeout(Duration::from_secs(5)),
            Ok("quick"),
            "the second task does not wait for the first"
        );
        release.send(()).unwrap();
        assert_eq!(finished.recv_timeout(Duration::from_secs(5)), Ok("long"));
    }

    #[test]
    fn workers_are_reused_and_survive_a_panic() {
        let pool = WorkerPool::default();
        let (done, finished) = channel::<std::thread::ThreadId>();
        let sender = done.clone();
        pool.run(move || {
            let _ = sender.send(std::thread::current().id());
            panic!("a job that fails");
        });
        let first = finished.recv_timeout(Duration::from_secs(5)).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while pool.idle_workers() == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(
            pool.idle_workers(),
            1,
            "the worker outlived its panicking task"
        );
        pool.run(move || {
            let _ = done.send(std::thread::current().id());
        });
        assert_eq!(
            finished.recv_timeout(Duration::from_secs(5)),
            Ok(first),
            "the same thread took the next task"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn workers_and_the_reclaimer_run_behind_the_window() {
        let pool = WorkerPool::default();
        let (done, finished) = channel();
        pool.run(move || {
            let _ = done.send(current_policy());
        });
        assert_eq!(
            finished.recv_timeout(Duration::from_secs(5)),
            Ok((libc::SCHED_BATCH, WORKER_NICE))
        );

        struct Reports(Sender<((i32, i32), String)>);
        impl Drop for Reports {
            fn drop(&mut self) {
                let name = std::thread::current().name().unwrap_or_default().to_owned();
                let _ = self.0.send((current_policy(), name));
            }
        }
        let (dropped, seen) = channel();
        drop_later(Reports(dropped));
        assert_eq!(
            seen.recv_timeout(Duration::from_secs(5)),
            Ok((
                (libc::SCHED_BATCH, WORKER_NICE),
                "malplan-reclaimer".to_owned()
            ))
        );
        assert_eq!(
            current_policy(),
            (libc::SCHED_OTHER, 0),
            "the calling thread (the window) is left as it was"
        );
    }
}

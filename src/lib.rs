//! Målplan: plan and follow up a municipality's goals offline.
//!
//! `model` is the plan document, `storage` reads and writes it, `validate` checks it;
//! the follow-up logic, reports and the egui UI build on those.

#[cfg(feature = "gui")]
pub mod app;
pub mod budget;
pub mod cli;
pub mod closing;
#[cfg(feature = "gui")]
pub mod command;
pub mod document;
pub mod economy;
pub mod edit;
pub mod examples;
pub mod exchange;
pub mod followup;
pub mod generate;
pub mod i18n;
pub mod merge;
pub mod model;
pub mod ops;
pub mod outline;
pub mod plan_lock;
pub mod recovery;
pub mod report;
pub mod safe_io;
pub mod storage;
pub mod symbols;
pub mod time;
#[cfg(feature = "gui")]
pub mod ui;
pub mod validate;

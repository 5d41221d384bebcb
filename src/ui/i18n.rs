//! The interface language: Swedish first, English as an option.

use serde::{Deserialize, Serialize};

use crate::model::{Assessment, CommitmentStatus, GoalLevel, Trend};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Swedish,
    English,
}

impl Lang {
    /// Picks the text for this language.
    pub fn t(self, swedish: &'static str, english: &'static str) -> &'static str {
        match self {
            Lang::Swedish => swedish,
            Lang::English => english,
        }
    }

    pub fn level(self, level: GoalLevel) -> &'static str {
        match level {
            GoalLevel::Area => self.t("Målområde", "Area"),
            GoalLevel::StrategicGoal => self.t("Strategiskt mål", "Strategic goal"),
            GoalLevel::BoardGoal => self.t("Nämndmål", "Board goal"),
        }
    }

    pub fn assessment(self, assessment: Assessment) -> &'static str {
        match assessment {
            Assessment::Achieved => self.t("Uppnår", "Achieved"),
            Assessment::Partly => self.t("Delvis", "Partly"),
            Assessment::NotAchieved => self.t("Ej uppnår", "Not achieved"),
            Assessment::NotAssessed => self.t("Ej bedömd", "Not assessed"),
        }
    }

    pub fn trend(self, trend: Trend) -> &'static str {
        match trend {
            Trend::Better => self.t("Bättre än föregående år", "Better than last year"),
            Trend::Unchanged => self.t("Oförändrad", "Unchanged"),
            Trend::Worse => self.t("Sämre än föregående år", "Worse than last year"),
        }
    }

    pub fn status(self, status: CommitmentStatus) -> &'static str {
        match status {
            CommitmentStatus::NotStarted => self.t("Ej påbörjad", "Not started"),
            CommitmentStatus::InProgress => self.t("Pågår", "In progress"),
            CommitmentStatus::Done => self.t("Klart", "Done"),
            CommitmentStatus::Delayed => self.t("Försenat", "Delayed"),
            CommitmentStatus::Cancelled => self.t("Avbrutet", "Cancelled"),
        }
    }
}

//! The interface language: Swedish first, English as an option.
//!
//! No egui here: the follow-up logic, imports and reports give their texts in either language
//! through [`Lang`], and the app re-exports it as `crate::ui::i18n`.

use serde::{Deserialize, Serialize};

use crate::followup::IndicatorStatus;
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

    /// An indicator's status in running text (sv as [`IndicatorStatus::swedish`]).
    pub fn indicator_status(self, status: IndicatorStatus) -> &'static str {
        match status {
            IndicatorStatus::Achieved => self.t("uppnått", "achieved"),
            IndicatorStatus::Partly => self.t("delvis", "partly"),
            IndicatorStatus::NotAchieved => self.t("ej uppnått", "not achieved"),
            IndicatorStatus::NoData => self.t("saknar utfall eller mål", "no outcome or target"),
        }
    }

    /// An assessment in running text, lower case (sv as
    /// [`crate::followup::rollup::assessment_swedish`]).
    pub fn assessment_lower(self, assessment: Assessment) -> &'static str {
        match assessment {
            Assessment::Achieved => self.t("uppnår", "achieved"),
            Assessment::Partly => self.t("delvis", "partly"),
            Assessment::NotAchieved => self.t("ej uppnår", "not achieved"),
            Assessment::NotAssessed => self.t("ej bedömd", "not assessed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_running_text_matches_the_swedish_only_functions() {
        for status in [
            IndicatorStatus::Achieved,
            IndicatorStatus::Partly,
            IndicatorStatus::NotAchieved,
            IndicatorStatus::NoData,
        ] {
            assert_eq!(Lang::Swedish.indicator_status(status), status.swedish());
        }
        for assessment in [Assessment::Achieved, Assessment::Partly, Assessment::NotAchieved, Assessment::NotAssessed] {
            assert_eq!(
                Lang::Swedish.assessment_lower(assessment),
                crate::followup::rollup::assessment_swedish(assessment)
            );
        }
        assert_eq!(Lang::English.indicator_status(IndicatorStatus::NoData), "no outcome or target");
        assert_eq!(Lang::English.assessment_lower(Assessment::NotAchieved), "not achieved");
    }
}

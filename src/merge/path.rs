//! A place in the plan by stable ids, written and read back as text:
//! `indicators[id=12].series[name="Totalt"].outcomes[2022]`, `budgets[id=7].tables[id=8]
//! .groups[name="Drift"].rows[id=9].amounts[#2]`. Conflicts keep their place in the file this way.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// A field of a struct: `title`.
    Field(String),
    /// The element of a list whose `key` field has this value: `[id=12]`, `[name="Totalt"]`.
    Item { key: String, value: Value },
    /// One year of a year-value list (`targets`, `outcomes`): `[2022]`.
    Year(i32),
    /// One column of an amount list (`amounts`, `stated_total`): `[#2]`, counted from 0.
    Column(usize),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Path(pub Vec<Segment>);

impl Path {
    pub fn child(&self, segment: Segment) -> Path {
        let mut segments = self.0.clone();
        segments.push(segment);
        Path(segments)
    }

    pub fn field(&self, name: &str) -> Path {
        self.child(Segment::Field(name.to_owned()))
    }

    /// The last field name on the path (`assessment` for `...goals[goal=5].assessment`, `outcomes`
    /// for `...outcomes[2022]`).
    pub fn last_field(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Segment::Field(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// The id of the first `[id=…]` on the path: the item a place belongs to.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().filter_map(|s| match s {
            Segment::Item { value, .. } => value.as_u64().and_then(|v| u32::try_from(v).ok()),
            _ => None,
        })
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => write!(f, "{name}")?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Item { key, value } => write!(f, "[{key}={value}]")?,
                Segment::Year(year) => write!(f, "[{year}]")?,
                Segment::Column(column) => write!(f, "[#{column}]")?,
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for Path {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = |at: usize, what: &str| format!("platsen \"{text}\" går inte att läsa vid tecken {}: {what}", at + 1);
        let mut segments = Vec::new();
        let mut rest = text;
        let position = |rest: &str| text.len() - rest.len();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let Some(close_or_eq) = after.find([']', '=']) else {
                    return Err(bad(position(rest), "\"]\" saknas"));
                };
                if after.as_bytes()[close_or_eq] == b']' {
                    let inner = &after[..close_or_eq];
                    let segment = if let Some(column) = inner.strip_prefix('#') {
                        Segment::Column(column.parse().map_err(|_| bad(position(rest), "kolumnnummer"))?)
                    } else {
                        Segment::Year(inner.parse().map_err(|_| bad(position(rest), "årtal"))?)
                    };
                    segments.push(segment);
                    rest = &after[close_or_eq + 1..];
                } else {
                    let key = &after[..close_or_eq];
                    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return Err(bad(position(rest), "fältnamn"));
                    }
                    let value_text = &after[close_or_eq + 1..];
                    let mut stream = serde_json::Deserializer::from_str(value_text).into_iter::<Value>();
                    let value = match stream.next() {
                        Some(Ok(value)) => value,
                        _ => return Err(bad(position(rest), "värde")),
                    };
                    let after_value = &value_text[stream.byte_offset()..];
                    let Some(after_close) = after_value.strip_prefix(']') else {
                        return Err(bad(position(after_value), "\"]\" saknas"));
                    };
                    segments.push(Segment::Item { key: key.to_owned(), value });
                    rest = after_close;
                }
            } else {
                let name_start = rest.strip_prefix('.').unwrap_or(rest);
                if name_start.len() == rest.len() && !segments.is_empty() {
                    return Err(bad(position(rest), "\".\" eller \"[\" väntades"));
                }
                let end = name_start.find(['.', '[']).unwrap_or(name_start.len());
                let name = &name_start[..end];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(bad(position(name_start), "fältnamn"));
                }
                segments.push(Segment::Field(name.to_owned()));
                rest = &name_start[end..];
            }
        }
        if segments.is_empty() {
            return Err("platsen är tom".to_owned());
        }
        Ok(Path(segments))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_back_exactly() {
        for text in [
            "indicators[id=12].series[name=\"Totalt\"].outcomes[2022]",
            "periods[id=30].goals[goal=5].assessment",
            "budgets[id=7].tables[id=8].groups[name=\"a]b\\\"c\"].rows[id=9].amounts[#2]",
            "meta.title",
            "goals[id=4]",
        ] {
            let path: Path = text.parse().unwrap();
            assert_eq!(path.to_string(), text);
        }
        let path: Path = "indicators[id=12].series[name=\"Totalt\"].outcomes[2022]".parse().unwrap();
        assert_eq!(path.0.len(), 6);
        assert_eq!(path.0[5], Segment::Year(2022));
        assert_eq!(path.last_field(), Some("outcomes"));
    }

    #[test]
    fn broken_places_are_explained() {
        for text in ["", "goals[id=4", "goals[id=]", "goals[2x]", "goals..x", "goals[id=4]x"] {
            let error = text.parse::<Path>().unwrap_err();
            assert!(error.contains("plats"), "{text}: {error}");
        }
    }
}

//! Field name to `Column` variant, the way SeaORM's `DeriveEntityModel` converts it.

/// `deleted_at` -> `DeletedAt`, following heck's `UpperCamelCase` word rules.
pub fn upper_camel(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if let Some(&prev) = word.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let lower_to_upper = (prev.is_lowercase() || prev.is_numeric()) && c.is_uppercase();
            let acronym_end =
                prev.is_uppercase() && c.is_uppercase() && next.is_some_and(|n| n.is_lowercase());
            if lower_to_upper || acronym_end {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::upper_camel;

    #[test]
    fn matches_sea_orm_column_names() {
        assert_eq!(upper_camel("deleted_at"), "DeletedAt");
        assert_eq!(upper_camel("deleted_at_token"), "DeletedAtToken");
        assert_eq!(upper_camel("r#type"), "Type");
        assert_eq!(upper_camel("removedAt"), "RemovedAt");
        assert_eq!(upper_camel("HTTPStatus"), "HttpStatus");
        assert_eq!(upper_camel("col_1"), "Col1");
    }
}

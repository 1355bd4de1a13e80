//! `infra/template.yaml`, read as text: its resources, by name.

pub fn template() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../infra/template.yaml"
    ))
    .unwrap()
}

/// The lines of one top-level resource (two-space indent) of the template.
pub fn resource(text: &str, name: &str) -> String {
    let header = format!("  {name}:");
    let is_top = |l: &str| {
        (l.starts_with("  ") && !l.starts_with("   ")) || (!l.is_empty() && !l.starts_with(' '))
    };
    text.lines()
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| !is_top(l))
        .collect::<Vec<_>>()
        .join("\n")
}

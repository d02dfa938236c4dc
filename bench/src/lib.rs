//! Shared pieces of the benchmarks: the sample articles as a corpus to multiply.

use veille_core::assets::Assets;
use veille_core::feed::{self, Item};
use veille_core::fetch::SAMPLE_SCHEME;

/// Every item of the bundled sample feeds, parsed and sanitised as the app would.
pub fn sample_items() -> Result<Vec<Item>, Box<dyn std::error::Error>> {
    let assets = Assets::Embedded;
    let mut items = Vec::new();
    for name in veille_core::samples::files(&assets)? {
        let bytes = assets.read(&format!("samples/{name}"))?;
        let (text, _) = veille_core::charset::decode(&bytes, None);
        let parsed = feed::parse(
            &text,
            &format!("{SAMPLE_SCHEME}{name}"),
            veille_core::time::now(),
        )?;
        items.extend(parsed.items);
    }
    Ok(items)
}

/// Reads `--name value` from the command line.
pub fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

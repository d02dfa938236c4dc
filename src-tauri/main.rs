// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    prefer_software_rendering();
    veille_app::run();
}

/// A reader of text and lists gains nothing from WebKitGTK's accelerated compositing, which
/// costs its web process about 100 MB (software GL where there is no GPU) and slows the
/// first paint. Set before any thread starts; a user who sets the variable keeps theirs.
fn prefer_software_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

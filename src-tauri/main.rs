// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    disable_accelerated_compositing();
    veille_app::run();
}

/// A reader of text and lists gains little from WebKitGTK's accelerated compositing, which
/// costs its web process about 100 MB (measured under Xvfb, where GL is software) and
/// slows the first paint. Set before any thread starts; a user who sets the variable keeps
/// theirs. Processes started from the app inherit it (a WebKitGTK browser opened by a
/// link would start without compositing too).
fn disable_accelerated_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

//! The default assets are embedded into the library (see `src/assets.rs`); this makes cargo
//! rebuild when any of them changes, which `include_dir!` cannot tell it on stable Rust.
fn main() {
    println!("cargo:rerun-if-changed=../../assets");
}

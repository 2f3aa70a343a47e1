//! Renders SVG files to PNG with the project's renderer and font:
//! `cargo run -p charts --example svg2png -- images/*.svg` writes `*.png` beside each.

fn main() {
    for path in std::env::args().skip(1) {
        let result = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|svg| charts::svg_to_png(&svg).map_err(|e| e.to_string()))
            .and_then(|png| {
                std::fs::write(format!("{}.png", path.trim_end_matches(".svg")), png)
                    .map_err(|e| e.to_string())
            });
        if let Err(error) = result {
            eprintln!("{path}: {error}");
        }
    }
}

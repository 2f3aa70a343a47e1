//! Issue 30 made charts cheaper to draw without changing what they show: the copies in
//! `tests/avant/` are the committed `images/` as they were before it (the mesh's light lines
//! drawn in the background's colour, every map outline with round joins). Rasterised, each
//! has the pixels of today's copy in `images/` (kept fresh by the API's tests).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn pixels(path: &Path) -> resvg::tiny_skia::Pixmap {
    let svg = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    charts::raster::rasterize(&charts::raster::parse(&svg).unwrap()).unwrap()
}

#[test]
fn cheaper_drawings_keep_the_pixels_of_the_charts_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(root.join("tests/avant"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 9, "{names:?}");
    for name in names {
        let before = std::fs::read_to_string(root.join("tests/avant").join(&name)).unwrap();
        let today = std::fs::read_to_string(root.join("../images").join(&name)).unwrap();
        // The drawings did change (fewer elements, other joins).
        assert_ne!(today, before, "{name:?}");
        let (a, b) = (
            pixels(&root.join("tests/avant").join(&name)),
            pixels(&root.join("../images").join(&name)),
        );
        assert_eq!((a.width(), a.height()), (b.width(), b.height()), "{name:?}");
        let worst = a
            .data()
            .iter()
            .zip(b.data())
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        assert!(worst <= 1, "{name:?}: a channel differs by {worst}");
    }
}

/// Every committed chart and map (`images/`: the départements' maps, whose outlines come
/// from the coverage memo), rasterised three times (the outlines noted, their coverage
/// computed, then read from the memo), has exactly resvg's own pixels.
#[test]
fn memoised_outlines_keep_resvg_pixels() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../images");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    let mut maps = 0;
    for name in names {
        let svg = std::fs::read_to_string(root.join(&name)).unwrap();
        let tree = charts::raster::parse(&svg).unwrap();
        let size = tree.size().to_int_size();
        let mut expected = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut expected.as_mut(),
        );
        for _ in 0..3 {
            let got = charts::raster::rasterize(&tree).unwrap();
            assert!(got.data() == expected.data(), "{name}");
        }
        maps += usize::from(name.starts_with("carte_"));
    }
    assert_eq!(maps, 3);
}

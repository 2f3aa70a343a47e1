//! The drawing backend of the charts: SVG text, element for element and byte for byte what
//! plotters' own `SVGBackend` (plotters-svg 0.3.7) writes, without a string for each
//! attribute. Profiled on an uncached scatter SVG, that backend's formatting (a `format!`
//! per number, colour and opacity, and the attributes escaped character by character) was
//! about a third of the request. Here numbers go through `itoa`, colours through a table, and
//! the `<title>` and `<desc>` are written after the `<svg>` tag instead of by copying the
//! whole document again.
//!
//! Every chart URL's bytes are pinned by the API's tests (`api/tests/api/elections.rs`) and
//! each chart's by the snapshot tests; [`tests`] compares this backend with plotters' on
//! every kind of element and style.

use std::fmt::Write as _;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};

/// An SVG document written into a string.
pub struct Svg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// The elements left open (the `<svg>` itself), closed by `present`.
    open: Vec<&'static str>,
    saved: bool,
}

impl<'a> Svg<'a> {
    /// Starts the document with its `<svg>` tag, then `head` (the chart's `<title>` and
    /// `<desc>`, already escaped).
    pub fn with_string(out: &'a mut String, size: (u32, u32), head: &str) -> Svg<'a> {
        let mut svg = Svg {
            out,
            size,
            open: Vec::new(),
            saved: false,
        };
        svg.start("svg");
        svg.int("width", size.0);
        svg.int("height", size.1);
        svg.out.push_str(" viewBox=\"0 0 ");
        svg.number(size.0);
        svg.out.push(' ');
        svg.number(size.1);
        svg.out.push_str("\" xmlns=\"http://www.w3.org/2000/svg\"");
        svg.open_end("svg");
        svg.out.push_str(head);
        svg
    }

    fn start(&mut self, tag: &str) {
        self.out.push('<');
        self.out.push_str(tag);
    }

    /// Ends an element without content (`/>`).
    fn end(&mut self) {
        self.out.push_str("/>\n");
    }

    /// Ends the tag of an element left open.
    fn open_end(&mut self, tag: &'static str) {
        self.out.push_str(">\n");
        self.open.push(tag);
    }

    fn close(&mut self) -> bool {
        match self.open.pop() {
            Some(tag) => {
                self.out.push_str("</");
                self.out.push_str(tag);
                self.out.push_str(">\n");
                true
            }
            None => false,
        }
    }

    fn number(&mut self, value: impl itoa::Integer) {
        self.out.push_str(itoa::Buffer::new().format(value));
    }

    fn int(&mut self, name: &str, value: impl itoa::Integer) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.number(value);
        self.out.push('"');
    }

    /// An attribute whose value is escaped as plotters escapes it.
    fn text(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape(self.out, value);
        self.out.push('"');
    }

    fn opacity(&mut self, color: BackendColor) {
        self.out.push_str(" opacity=\"");
        // `{}` of an f64: "1" for the usual opaque colour.
        if color.alpha == 1.0 {
            self.out.push('1');
        } else {
            let _ = write!(self.out, "{}", color.alpha);
        }
        self.out.push('"');
    }

    fn color(&mut self, name: &str, color: BackendColor) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"#");
        let (r, g, b) = color.rgb;
        for byte in [r, g, b] {
            self.out.push(char::from(DIGITS[usize::from(byte >> 4)]));
            self.out.push(char::from(DIGITS[usize::from(byte & 0xF)]));
        }
        self.out.push('"');
    }

    /// `points="x,y x,y "` (each pair followed by a space).
    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        let mut buffer = itoa::Buffer::new();
        for (x, y) in path {
            self.out.push_str(buffer.format(x));
            self.out.push(',');
            self.out.push_str(buffer.format(y));
            self.out.push(' ');
        }
        self.out.push('"');
    }
}

/// plotters' escape of attribute values and text: the five markup characters only.
fn escape(out: &mut String, value: &str) {
    let mut start = 0;
    for (i, c) in value.char_indices() {
        let replacement = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '&' => "&amp;",
            '"' => "&quot;",
            '\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&value[start..i]);
        out.push_str(replacement);
        start = i + 1;
    }
    out.push_str(&value[start..]);
}

impl DrawingBackend for Svg<'_> {
    type ErrorType = std::io::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !self.saved {
            while self.close() {}
            self.saved = true;
        }
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("rect");
        self.int("x", point.0);
        self.int("y", point.1);
        self.out
            .push_str(" width=\"1\" height=\"1\" stroke=\"none\"");
        self.opacity(color);
        self.color("fill", color);
        self.end();
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("line");
        self.opacity(color);
        self.color("stroke", color);
        self.int("stroke-width", style.stroke_width());
        self.int("x1", from.0);
        self.int("y1", from.1);
        self.int("x2", to.0);
        self.int("y2", to.1);
        self.end();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("rect");
        self.int("x", upper_left.0);
        self.int("y", upper_left.1);
        self.int("width", bottom_right.0 - upper_left.0);
        self.int("height", bottom_right.1 - upper_left.1);
        self.opacity(color);
        if fill {
            self.color("fill", color);
            self.out.push_str(" stroke=\"none\"");
        } else {
            self.out.push_str(" fill=\"none\"");
            self.color("stroke", color);
        }
        self.end();
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("polyline");
        self.out.push_str(" fill=\"none\"");
        self.opacity(color);
        self.color("stroke", color);
        self.int("stroke-width", style.stroke_width());
        self.points(path);
        self.end();
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("polygon");
        self.opacity(color);
        self.color("fill", color);
        self.points(path);
        self.end();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.start("circle");
        self.int("cx", center.0);
        self.int("cy", center.1);
        self.int("r", radius);
        self.opacity(color);
        if fill {
            self.color("fill", color);
            self.out.push_str(" stroke=\"none\"");
        } else {
            self.out.push_str(" fill=\"none\"");
            self.color("stroke", color);
        }
        self.int("stroke-width", style.stroke_width());
        self.end();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let anchor = style.anchor();
        self.start("text");
        self.int("x", x);
        self.int("y", y);
        self.out.push_str(match anchor.v_pos {
            VPos::Top => " dy=\"0.76em\"",
            VPos::Center => " dy=\"0.5ex\"",
            VPos::Bottom => " dy=\"-0.5ex\"",
        });
        self.out.push_str(match anchor.h_pos {
            HPos::Left => " text-anchor=\"start\"",
            HPos::Right => " text-anchor=\"end\"",
            HPos::Center => " text-anchor=\"middle\"",
        });
        self.text("font-family", style.family().as_str());
        self.out.push_str(" font-size=\"");
        let _ = write!(self.out, "{}", style.size() / 1.24);
        self.out.push('"');
        self.opacity(color);
        self.color("fill", color);
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.out.push_str(" font-weight=\"bold\""),
            other => self.text("font-style", other.as_str()),
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            _ => None,
        };
        if let Some(degrees) = degrees {
            let _ = write!(self.out, " transform=\"rotate({degrees}, {x}, {y})\"");
        }
        self.open_end("text");
        escape(self.out, text);
        self.out.push('\n');
        self.close();
        Ok(())
    }
}

impl Drop for Svg<'_> {
    fn drop(&mut self) {
        let _ = self.present();
    }
}

#[cfg(test)]
mod tests {
    use plotters::coord::Shift;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::Svg;

    /// Every element and style the backend writes: pixels, lines of two widths, rectangles
    /// filled and outlined, a polyline, a polygon, circles filled and outlined, translucent and
    /// invisible colours, texts in each anchor, weight, style and rotation, with markup to
    /// escape.
    fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) {
        let blue = RGBColor(0x2C, 0x7B, 0xB6);
        root.fill(&WHITE).unwrap();
        root.draw_pixel((3, 4), &RED).unwrap();
        root.draw(&PathElement::new(
            vec![(1, 2), (30, 40)],
            blue.stroke_width(3),
        ))
        .unwrap();
        root.draw(&PathElement::new(
            vec![(5, 5), (50, 8), (90, 60), (-3, 70)],
            BLACK.mix(0.35),
        ))
        .unwrap();
        root.draw(&Rectangle::new([(10, 10), (60, 35)], blue.filled()))
            .unwrap();
        root.draw(&Rectangle::new([(12, 14), (80, 95)], RED.mix(0.5)))
            .unwrap();
        root.draw(&Polygon::new(
            vec![(0, 0), (40, 10), (20, 50)],
            GREEN.mix(0.2),
        ))
        .unwrap();
        root.draw(&Circle::new((100, 80), 4, blue.mix(0.8).filled()))
            .unwrap();
        root.draw(&Circle::new((120, 70), 7, BLACK.stroke_width(2)))
            .unwrap();
        root.draw(&Circle::new((120, 70), 7, BLACK.mix(0.0)))
            .unwrap();
        root.draw(&PathElement::new(vec![(0, 0), (1, 1)], TRANSPARENT))
            .unwrap();
        let anchors = [
            (HPos::Left, VPos::Top),
            (HPos::Center, VPos::Center),
            (HPos::Right, VPos::Bottom),
        ];
        let styles = [FontStyle::Normal, FontStyle::Bold, FontStyle::Italic];
        let rotations = [
            FontTransform::None,
            FontTransform::Rotate90,
            FontTransform::Rotate180,
            FontTransform::Rotate270,
        ];
        for (i, ((h, v), (style, rotation))) in anchors
            .iter()
            .cycle()
            .zip(styles.iter().cycle().zip(rotations))
            .enumerate()
        {
            let font = ("sans-serif", 13.0 + i as f64 * 1.7)
                .into_font()
                .style(*style)
                .transform(rotation.clone())
                .color(&blue.mix(0.9))
                .pos(Pos::new(*h, *v));
            root.draw_text(
                &format!("Côte-d'Or <{i}> & \"q\" 12,5\u{a0}%"),
                &font,
                (20 + 30 * i as i32, 100),
            )
            .unwrap();
        }
        let serif = ("serif", 20.0).into_font().color(&BLACK);
        root.draw_text("x", &serif, (1, 1)).unwrap();
    }

    #[test]
    fn writes_what_plotters_svg_backend_writes() {
        let mut theirs = String::new();
        {
            let root = SVGBackend::with_string(&mut theirs, (320, 200)).into_drawing_area();
            draw(&root);
            root.present().unwrap();
        }
        let mut ours = String::new();
        {
            let root = Svg::with_string(&mut ours, (320, 200), "").into_drawing_area();
            draw(&root);
            root.present().unwrap();
        }
        assert!(theirs.contains("<circle") && theirs.contains("rotate(270"));
        assert!(theirs.contains("opacity=\"0.35\"") && theirs.contains("font-style"));
        assert_eq!(ours, theirs);
        // The head goes right after the `<svg>` tag.
        let mut headed = String::new();
        {
            let root =
                Svg::with_string(&mut headed, (320, 200), "<title>T</title>\n").into_drawing_area();
            draw(&root);
        }
        let end = theirs.find(">\n").unwrap() + 2;
        assert_eq!(
            headed,
            format!("{}<title>T</title>\n{}", &theirs[..end], &theirs[end..])
        );
    }
}

//! One response model, two renderings: PMS answers JSON when asked
//! (`Accept: application/json`) and XML otherwise. A [`Node`] is an XML element;
//! in JSON its attributes become fields and its children become arrays keyed by
//! their JSON name (`Metadata`, `Directory`, `Genre`, ...).

use std::fmt::Write as _;

/// An attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// JSON `null`; left out in XML.
    Null,
}

impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Str(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Str(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<u64> for Val {
    fn from(v: u64) -> Self {
        Val::Int(v as i64)
    }
}
impl From<u32> for Val {
    fn from(v: u32) -> Self {
        Val::Int(i64::from(v))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::Float(v)
    }
}

/// An element: XML tag, JSON array name, attributes and children.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub tag: &'static str,
    pub json_key: &'static str,
    pub attrs: Vec<(&'static str, Val)>,
    pub children: Vec<Node>,
}

impl Node {
    /// A node whose XML tag and JSON key are the same.
    pub fn new(tag: &'static str) -> Node {
        Node::keyed(tag, tag)
    }

    /// A node with a JSON key different from its XML tag (e.g. `Video` / `Metadata`).
    pub fn keyed(tag: &'static str, json_key: &'static str) -> Node {
        Node {
            tag,
            json_key,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn attr(mut self, name: &'static str, v: impl Into<Val>) -> Node {
        self.attrs.push((name, v.into()));
        self
    }

    pub fn set(&mut self, name: &'static str, v: impl Into<Val>) {
        let v = v.into();
        if let Some(slot) = self.attrs.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = v;
        } else {
            self.attrs.push((name, v));
        }
    }

    pub fn get(&self, name: &str) -> Option<&Val> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn child(mut self, c: Node) -> Node {
        self.children.push(c);
        self
    }

    pub fn push(&mut self, c: Node) {
        self.children.push(c);
    }

    /// `{"<tag>": {...}}`, as PMS wraps its `MediaContainer`.
    pub fn to_json_document(&self) -> String {
        let mut out = String::with_capacity(256 + self.children.len() * 1024);
        out.push_str("{\"");
        out.push_str(self.json_key);
        out.push_str("\":");
        self.write_json(&mut out);
        out.push('}');
        out
    }

    /// `<?xml ...?>` and the element.
    pub fn to_xml_document(&self) -> String {
        let mut out = String::with_capacity(256 + self.children.len() * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write_xml(&mut out);
        out.push('\n');
        out
    }

    pub fn write_json(&self, out: &mut String) {
        out.push('{');
        let mut first = true;
        for (name, v) in &self.attrs {
            if !first {
                out.push(',');
            }
            first = false;
            json_str(out, name);
            out.push(':');
            match v {
                Val::Str(s) => json_str(out, s),
                Val::Int(i) => {
                    let _ = write!(out, "{i}");
                }
                Val::Float(f) => out.push_str(&json_float(*f)),
                Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Val::Null => out.push_str("null"),
            }
        }
        // Children grouped by JSON key, in order of first appearance.
        let mut keys: Vec<&'static str> = Vec::new();
        for c in &self.children {
            if !keys.contains(&c.json_key) {
                keys.push(c.json_key);
            }
        }
        for key in keys {
            if !first {
                out.push(',');
            }
            first = false;
            json_str(out, key);
            out.push_str(":[");
            let mut first_child = true;
            for c in self.children.iter().filter(|c| c.json_key == key) {
                if !first_child {
                    out.push(',');
                }
                first_child = false;
                c.write_json(out);
            }
            out.push(']');
        }
        out.push('}');
    }

    pub fn write_xml(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.tag);
        for (name, v) in &self.attrs {
            let text = match v {
                Val::Str(s) => s.clone(),
                Val::Int(i) => i.to_string(),
                Val::Float(f) => json_float(*f),
                Val::Bool(b) => if *b { "1" } else { "0" }.to_string(),
                Val::Null => continue,
            };
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            xml_escape(out, &text);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        for c in &self.children {
            out.push('\n');
            c.write_xml(out);
        }
        out.push_str("\n</");
        out.push_str(self.tag);
        out.push('>');
    }
}

fn json_float(f: f64) -> String {
    if f.is_finite() {
        let s = format!("{f}");
        if s.contains('.') || s.contains('e') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        "0.0".into()
    }
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn xml_escape(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_xml_render_the_same_tree() {
        let n = Node::new("MediaContainer")
            .attr("size", 1u32)
            .attr("allowSync", true)
            .child(
                Node::keyed("Video", "Metadata")
                    .attr("title", "A \"quoted\" <title> & more")
                    .attr("rating", 7.0)
                    .child(Node::new("Genre").attr("tag", "Drama")),
            );
        let json: serde_json::Value = serde_json::from_str(&n.to_json_document()).unwrap();
        assert_eq!(json["MediaContainer"]["size"], 1);
        assert_eq!(json["MediaContainer"]["allowSync"], true);
        assert_eq!(json["MediaContainer"]["Metadata"][0]["rating"], 7.0);
        assert_eq!(
            json["MediaContainer"]["Metadata"][0]["Genre"][0]["tag"],
            "Drama"
        );
        let xml = n.to_xml_document();
        assert!(xml.contains("<MediaContainer size=\"1\" allowSync=\"1\">"));
        assert!(xml.contains("title=\"A &quot;quoted&quot; &lt;title&gt; &amp; more\""));
        assert!(xml.contains("<Genre tag=\"Drama\" />"));
    }
}

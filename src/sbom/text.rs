//! [`Text`]: the string type of the model, which borrows from the document's input buffer.
//!
//! An SBOM of a million components holds tens of millions of short strings (names, versions,
//! purls, hashes). Copying each into its own heap allocation dominated ingestion time and
//! tripled memory. A [`Text`] is instead, in order of preference:
//! - a slice of the input buffer ([`Buffer`], shared by reference count): what the readers make
//!   for every value written without escapes, so nothing is copied or allocated;
//! - a `&'static str` (constants such as normalised hash algorithm names);
//! - an owned `Box<str>` for everything computed (unescaped, trimmed, lower-cased, joined).
//!
//! It dereferences to `str`, compares, hashes and orders as its string, and prints as one, so
//! code downstream of ingestion reads it like a `&str`. It is 24 bytes, like `String`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// The decoded input text of one document, shared by every [`Text`] that borrows from it.
#[derive(Clone)]
pub struct Buffer(Arc<String>);

impl Buffer {
    pub fn new(text: String) -> Buffer {
        Buffer(Arc::new(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `s` as a [`Text`]: a slice of this buffer when `s` lies inside it, else a copy.
    pub fn text(&self, s: &str) -> Text {
        let base = self.0.as_ptr() as usize;
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(s.len());
        if start <= self.0.len() && end <= self.0.len() && end >= start {
            if let (Ok(start), Ok(len)) = (u32::try_from(start), u32::try_from(s.len())) {
                return Text(Repr::Shared {
                    buf: Arc::clone(&self.0),
                    start,
                    len,
                });
            }
        }
        Text::from(s)
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Buffer({} bytes)", self.0.len())
    }
}

/// A string of the model. See the module documentation.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Owned(Box<str>),
    Shared {
        buf: Arc<String>,
        start: u32,
        len: u32,
    },
}

impl Text {
    /// The empty string (no allocation).
    pub const fn empty() -> Text {
        Text(Repr::Static(""))
    }

    /// A constant (no allocation).
    pub const fn from_static(s: &'static str) -> Text {
        Text(Repr::Static(s))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Owned(s) => s,
            Repr::Shared { buf, start, len } => {
                let start = *start as usize;
                // Built only from a `&str` inside `buf` (see `Buffer::text`), so the range is a
                // valid char-boundary range; `get` keeps that a checked fact, not an assumption.
                buf.get(start..start + *len as usize).unwrap_or("")
            }
        }
    }

    /// This text trimmed of white space, without copying when it is already trimmed or shared.
    pub fn trimmed(self) -> Text {
        let s = self.as_str();
        let t = s.trim();
        if t.len() == s.len() {
            return self;
        }
        match &self.0 {
            Repr::Shared { buf, start, .. } => {
                let off = t.as_ptr() as usize - s.as_ptr() as usize;
                Text(Repr::Shared {
                    buf: Arc::clone(buf),
                    start: start + off as u32,
                    len: t.len() as u32,
                })
            }
            Repr::Static(s) => Text(Repr::Static(s.trim())),
            Repr::Owned(_) => Text::from(t),
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::empty()
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        if s.is_empty() {
            Text::empty()
        } else {
            Text(Repr::Owned(s.into_boxed_str()))
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        if s.is_empty() {
            Text::empty()
        } else {
            Text(Repr::Owned(s.into()))
        }
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::from(s.as_str())
    }
}

impl From<std::borrow::Cow<'_, str>> for Text {
    fn from(s: std::borrow::Cow<'_, str>) -> Text {
        match s {
            std::borrow::Cow::Borrowed(b) => Text::from(b),
            std::borrow::Cow::Owned(o) => Text::from(o),
        }
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.as_str().to_string()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}
impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}
impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_as_small_as_a_string() {
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
        assert_eq!(
            std::mem::size_of::<Option<Text>>(),
            std::mem::size_of::<String>()
        );
    }

    #[test]
    fn slices_of_the_buffer_are_shared_and_others_copied() {
        let buf = Buffer::new("{\"name\": \"kav-sdk\"}".to_string());
        let inside = &buf.as_str()[10..17];
        let t = buf.text(inside);
        assert_eq!(t, "kav-sdk");
        assert!(matches!(
            t.0,
            Repr::Shared {
                start: 10,
                len: 7,
                ..
            }
        ));
        let outside = String::from("kav-sdk");
        let u = buf.text(&outside);
        assert!(matches!(u.0, Repr::Owned(_)));
        assert_eq!(t, u);
        assert_eq!(Text::from("").as_str(), "");
    }

    #[test]
    fn trimmed_keeps_sharing() {
        let buf = Buffer::new("  Kaspersky Lab  ".to_string());
        let t = buf.text(buf.as_str()).trimmed();
        assert_eq!(t, "Kaspersky Lab");
        assert!(matches!(
            t.0,
            Repr::Shared {
                start: 2,
                len: 13,
                ..
            }
        ));
        assert_eq!(Text::from(" x ").trimmed(), "x");
    }

    #[test]
    fn compares_hashes_and_prints_as_its_string() {
        use std::collections::HashSet;
        let buf = Buffer::new("abc".to_string());
        let a = buf.text(buf.as_str());
        let b = Text::from("abc".to_string());
        assert_eq!(a, b);
        let set: HashSet<Text> = [a.clone()].into_iter().collect();
        assert!(set.contains("abc"));
        assert_eq!(format!("{a:?} {b}"), "\"abc\" abc");
        assert!("a" < "b");
    }
}

//! A borrowed, allocation-light JSON tree for one SPDX 3 graph element at a time.
//!
//! JSON-LD lets every property be spelled several ways (`software_packageVersion`,
//! `software:packageVersion`, a full IRI) and puts `type` anywhere in the object, so a derived
//! wire struct cannot describe an element. Instead each element is read into a [`Node`] whose
//! strings borrow from the input wherever the JSON has no escapes, interpreted, and dropped
//! before the next element is read: the whole graph is never held as a tree.
//!
//! Nesting is checked against [`Limits::max_depth`](crate::sbom::Limits) while parsing.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::sbom::{IngestError, Location};

/// One JSON value; objects keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Cow<'a, str>),
    List(Vec<Node<'a>>),
    Obj(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Node<'_> {
    /// The JSON type name, for error messages.
    pub(crate) fn json_type(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Num(_) => "a number",
            Node::Str(_) => "a string",
            Node::List(_) => "an array",
            Node::Obj(_) => "an object",
        }
    }
}

/// Shared parse state: the depth limit, where we are, and the first structured failure (a
/// serde error cannot carry an [`IngestError`], so visitors park it here and return a marker).
pub(crate) struct Ctx {
    pub max_depth: usize,
    /// Index of the `@graph` entry being read (`None`: the top-level object).
    pub current: Cell<Option<usize>>,
    pub failure: RefCell<Option<IngestError>>,
}

impl Ctx {
    pub(crate) fn new(max_depth: usize) -> Ctx {
        Ctx {
            max_depth,
            current: Cell::new(None),
            failure: RefCell::new(None),
        }
    }

    /// JSON pointer of the element being read.
    pub(crate) fn pointer(&self) -> String {
        super::pointer(self.current.get())
    }

    /// Park `err` (the first one wins) and return a serde error that aborts parsing.
    pub(crate) fn fail<E: de::Error>(&self, err: IngestError) -> E {
        let mut slot = self.failure.borrow_mut();
        if slot.is_none() {
            *slot = Some(err);
        }
        E::custom("spdx3 reader failure")
    }
}

/// Reads an object key, borrowing when the JSON allows.
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads any value as a [`Node`]; `depth` is the nesting level the value would open.
pub(crate) struct NodeSeed<'c> {
    pub ctx: &'c Ctx,
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl NodeSeed<'_> {
    fn enter<E: de::Error>(&self) -> Result<(), E> {
        if self.depth > self.ctx.max_depth {
            return Err(self.ctx.fail(IngestError::TooDeep {
                limit: self.ctx.max_depth,
                location: Location::pointer(self.ctx.pointer()),
            }));
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Node::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Node::Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Node::Num(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.enter()?;
        let mut items = Vec::new();
        while let Some(n) = seq.next_element_seed(NodeSeed {
            ctx: self.ctx,
            depth: self.depth + 1,
        })? {
            items.push(n);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.enter()?;
        // Graph elements (depth 3) have a dozen properties; nested objects a few.
        let mut pairs = Vec::with_capacity(if self.depth <= 3 { 16 } else { 4 });
        while let Some(k) = map.next_key_seed(KeySeed)? {
            let v = map.next_value_seed(NodeSeed {
                ctx: self.ctx,
                depth: self.depth + 1,
            })?;
            pairs.push((k, v));
        }
        Ok(Node::Obj(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<'a>(text: &'a str, ctx: &Ctx) -> Result<Node<'a>, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        NodeSeed { ctx, depth: 1 }.deserialize(&mut de)
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let ctx = Ctx::new(16);
        let n = parse(r#"{"a":"plain","b":"esc\"aped"}"#, &ctx).unwrap();
        let Node::Obj(pairs) = n else { panic!() };
        assert!(matches!(&pairs[0].1, Node::Str(Cow::Borrowed("plain"))));
        assert!(matches!(&pairs[1].1, Node::Str(Cow::Owned(s)) if s == "esc\"aped"));
    }

    #[test]
    fn depth_over_the_limit_is_parked_as_too_deep() {
        let ctx = Ctx::new(3);
        assert!(parse("[[[1]]]", &ctx).is_ok());
        assert!(parse("[[[[1]]]]", &ctx).is_err());
        assert!(matches!(
            ctx.failure.borrow().as_ref(),
            Some(IngestError::TooDeep { limit: 3, .. })
        ));
    }
}

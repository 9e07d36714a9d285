//! SBOM ingestion: bytes of any supported format in, one format-neutral [`Document`] out.
//!
//! Pipeline: [`input`] (size limit, gzip, BOM, UTF-16) → [`detect`] (format from content) →
//! a reader per format ([`cyclonedx`], [`spdx`], [`spdx3`]) feeding a [`builder::Builder`] →
//! [`Document`]. This module never sees the registry or policy.

pub mod builder;
pub mod cpe;
pub mod cyclonedx;
pub mod detect;
pub mod error;
pub mod input;
pub mod model;
pub mod purl;
pub mod refmap;
pub mod spdx;
pub mod spdx3;
pub mod text;

use std::io::Read;
use std::path::Path;

use base64::Engine as _;

pub use builder::Builder;
pub use detect::Detected;
pub use error::IngestError;
pub use input::Limits;
pub use model::*;

/// How to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub limits: Limits,
    /// Turn every warning into an error.
    pub strict: bool,
    /// Map large regular files into memory instead of reading them: set only through the
    /// `unsafe` [`ReadOptions::with_mapped_files`].
    map_files: bool,
}

impl ReadOptions {
    /// Options that read SBOMs from files.
    pub fn new(limits: Limits, strict: bool) -> ReadOptions {
        ReadOptions {
            limits,
            strict,
            map_files: false,
        }
    }

    /// These options, with regular files of [`FileMap::MIN_LEN`] bytes and more mapped into
    /// memory instead of read: faster on large SBOMs, and the input is not copied.
    ///
    /// # Safety
    ///
    /// The caller guarantees what [`FileMap::map`] requires of every file read with these
    /// options: that nothing truncates or modifies it while the documents read from it are
    /// alive.
    pub unsafe fn with_mapped_files(self) -> ReadOptions {
        ReadOptions {
            map_files: true,
            ..self
        }
    }
}

/// Append the decimal digits of `i` (JSON-pointer indexes, without the formatting machinery).
pub(crate) fn push_index(s: &mut String, mut i: usize) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    for &d in &buf[at..] {
        s.push(d as char);
    }
}

/// Read one document from raw bytes (possibly gzip-compressed, UTF-8 or UTF-16).
///
/// The bytes are copied once into the document's [`Buffer`]; [`read_vec`] avoids that copy.
pub fn read_bytes(source: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Document, IngestError> {
    read_vec(source, bytes.to_vec(), opts)
}

/// Read one document from raw bytes it may keep: plain UTF-8 input becomes the document's
/// [`Buffer`] without a copy, which the reader reads in place (the model copies the strings it
/// keeps into its arena, and the buffer is freed when the read ends).
pub fn read_vec(source: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<Document, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    let raw = match input::decompress(&bytes, &opts.limits)? {
        std::borrow::Cow::Borrowed(_) => bytes,
        std::borrow::Cow::Owned(v) => v,
    };
    if raw.is_empty() {
        return Err(IngestError::Empty);
    }
    // Plain UTF-8 (the common case) becomes the buffer as it is, validated once; a BOM, UTF-16
    // or invalid UTF-8 goes through `decode_text`, which transcodes or explains.
    let text = if needs_decoding(&raw) {
        input::decode_text(&raw)?.into_owned()
    } else {
        match String::from_utf8(raw) {
            Ok(s) => s,
            Err(e) => input::decode_text(e.as_bytes())?.into_owned(),
        }
    };
    let buf = Buffer::new(text);
    read_buffer(source, &buf, buf.as_str(), opts, 0)
}

/// Whether raw bytes need `decode_text` before they can be a buffer: a UTF-8 byte order mark,
/// or the zero bytes of UTF-16.
fn needs_decoding(raw: &[u8]) -> bool {
    raw.starts_with(&[0xEF, 0xBB, 0xBF]) || raw.first() == Some(&0) || raw.get(1) == Some(&0)
}

/// Read one document from a mapped file: plain UTF-8 becomes the document's buffer as mapped;
/// anything else (gzip, a byte order mark, UTF-16, invalid UTF-8) is copied out and read as
/// [`read_vec`] reads bytes, so that it is decoded or explained the same way.
fn read_mapped(source: &str, map: FileMap, opts: &ReadOptions) -> Result<Document, IngestError> {
    let bytes = map.bytes();
    if bytes.starts_with(&input::GZIP_MAGIC) || needs_decoding(bytes) {
        return read_vec(source, bytes.to_vec(), opts);
    }
    match Buffer::from_map(map) {
        Ok(buf) => read_buffer(source, &buf, buf.as_str(), opts, 0),
        Err(map) => read_vec(source, map.bytes().to_vec(), opts),
    }
}

/// Read one document from a file, refusing files over the size limit before reading them.
/// With [`ReadOptions::with_mapped_files`], a regular file of at least [`FileMap::MIN_LEN`] bytes is
/// mapped rather than read (and read after all if the map fails).
pub fn read_path(path: &Path, source: &str, opts: &ReadOptions) -> Result<Document, IngestError> {
    let file = std::fs::File::open(path).map_err(|e| IngestError::Io {
        message: e.to_string(),
    })?;
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(IngestError::Io {
                message: "is a directory".into(),
            });
        }
        if meta.len() > opts.limits.max_bytes {
            return Err(IngestError::TooLarge {
                size: meta.len(),
                limit: opts.limits.max_bytes,
            });
        }
        if opts.map_files && meta.is_file() && meta.len() >= FileMap::MIN_LEN {
            // SAFETY: `map_files` is set only by `ReadOptions::with_mapped_files`, whose caller
            // guarantees that nothing changes the file while its documents are alive.
            if let Ok(map) = unsafe { FileMap::map(&file) } {
                let size = map.bytes().len() as u64;
                if size > opts.limits.max_bytes {
                    return Err(IngestError::TooLarge {
                        size,
                        limit: opts.limits.max_bytes,
                    });
                }
                return read_mapped(source, map, opts);
            }
        }
    }
    let bytes = input::read_file(file, opts.limits.max_bytes)?;
    read_vec(source, bytes, opts)
}

/// Read one document from a reader (stdin).
pub fn read_reader(
    reader: impl Read,
    source: &str,
    opts: &ReadOptions,
) -> Result<Document, IngestError> {
    let bytes = input::read_limited(reader, opts.limits.max_bytes)?;
    read_vec(source, bytes, opts)
}

/// Read decoded text: detect, unwrap envelopes, parse. The text is copied into the document's
/// [`Buffer`].
pub fn read_text(
    source: &str,
    text: &str,
    opts: &ReadOptions,
    depth: u8,
) -> Result<Document, IngestError> {
    let buf = Buffer::new(text.to_string());
    read_buffer(source, &buf, buf.as_str(), opts, depth)
}

/// Read `text`, a slice of `buf`: detect, unwrap envelopes, parse.
fn read_buffer(
    source: &str,
    buf: &Buffer,
    text: &str,
    opts: &ReadOptions,
    depth: u8,
) -> Result<Document, IngestError> {
    if depth > 2 {
        return Err(IngestError::Unsupported {
            what: "envelope nested more than twice".into(),
        });
    }
    match detect::detect(text)? {
        Detected::Sbom(format) => parse_in(source, format, buf, text, opts),
        Detected::DsseEnvelope => {
            #[derive(serde::Deserialize)]
            struct Envelope {
                #[serde(rename = "payloadType")]
                payload_type: String,
                payload: String,
            }
            // A JSON Lines file of envelopes: the first one is read.
            let first = text.trim_start();
            let mut de = serde_json::Deserializer::from_str(first).into_iter::<Envelope>();
            let env = match de.next() {
                Some(Ok(env)) => env,
                Some(Err(e)) => return Err(IngestError::from_json("DSSE envelope", &e)),
                None => return Err(IngestError::Empty),
            };
            let payload = base64::engine::general_purpose::STANDARD
                .decode(env.payload.trim())
                .map_err(|e| IngestError::Encoding {
                    message: format!("DSSE payload ({}) is not base64: {e}", env.payload_type),
                })?;
            let inner = input::decode_text(&payload)?.into_owned();
            let inner = Buffer::new(inner);
            read_buffer(source, &inner, inner.as_str(), opts, depth + 1)
        }
        Detected::InTotoStatement => {
            #[derive(serde::Deserialize)]
            struct Statement<'a> {
                #[serde(borrow)]
                predicate: Option<&'a serde_json::value::RawValue>,
            }
            let st: Statement = serde_json::from_str(text)
                .map_err(|e| IngestError::from_json("in-toto statement", &e))?;
            let pred = st.predicate.ok_or_else(|| IngestError::NotSbom {
                found: "an in-toto statement without a predicate".into(),
                looked_for: "an SBOM in the statement's `predicate`".into(),
            })?;
            read_buffer(source, buf, pred.get(), opts, depth + 1)
        }
    }
}

/// Parse `text` as `format` (no detection). The text is copied into the document's [`Buffer`].
pub fn parse_as(
    source: &str,
    format: Format,
    text: &str,
    opts: &ReadOptions,
) -> Result<Document, IngestError> {
    let buf = Buffer::new(text.to_string());
    parse_in(source, format, &buf, buf.as_str(), opts)
}

/// Parse `text`, a slice of `buf`, as `format`; the builder releases `buf` as the reader
/// passes it (mapped files only, see [`Buffer::release_before`]).
fn parse_in(
    source: &str,
    format: Format,
    buf: &Buffer,
    text: &str,
    opts: &ReadOptions,
) -> Result<Document, IngestError> {
    let mut b = Builder::new(source, format);
    b.set_buffer(buf.clone());
    let limits = &opts.limits;
    match format {
        Format::CycloneDxJson => cyclonedx::json::read(text, &mut b, limits)?,
        Format::CycloneDxXml => cyclonedx::xml::read(text, &mut b, limits)?,
        Format::SpdxJson => spdx::read_json(text, &mut b, limits)?,
        Format::SpdxYaml => spdx::read_yaml(text, &mut b, limits)?,
        Format::SpdxXml => spdx::read_xml(text, &mut b, limits)?,
        Format::SpdxTagValue => spdx::read_tag_value(text, &mut b, limits)?,
        Format::SpdxRdfXml => spdx::read_rdf_xml(text, &mut b, limits)?,
        Format::Spdx3JsonLd => spdx3::read(text, &mut b, limits)?,
    }
    b.finish(opts.strict)
}

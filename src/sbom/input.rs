//! Bytes in, text out: size limits, transparent gzip, byte-order marks, UTF-16 transcoding.
//!
//! This module owns the step from "whatever the user gave us" to a UTF-8 `&str` that the
//! format readers parse. It knows nothing about SBOM formats.

use std::borrow::Cow;
use std::io::Read;

use super::error::{line_col, IngestError};

/// Limits applied to every input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input accepted, in bytes, after decompression.
    pub max_bytes: u64,
    /// Deepest nesting accepted (JSON/XML elements, CycloneDX nested components).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Real container-image SBOMs with a million components are around 1 GB.
            max_bytes: 4 * 1024 * 1024 * 1024,
            max_depth: 128,
        }
    }
}

pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Read `reader` fully, refusing more than `limit` bytes.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, IngestError> {
    read_into(reader, limit, Vec::new())
}

/// Read a whole file (under `limit`) into a buffer sized from its metadata, so that a large
/// file is read straight into place instead of through a doubling buffer.
pub fn read_file(file: std::fs::File, limit: u64) -> Result<Vec<u8>, IngestError> {
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0).min(limit);
    let buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    read_into(file, limit, buf)
}

/// Append all of `reader` to `buf`, refusing more than `limit` bytes.
fn read_into(reader: impl Read, limit: u64, mut buf: Vec<u8>) -> Result<Vec<u8>, IngestError> {
    let n = reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| IngestError::Io {
            message: e.to_string(),
        })?;
    if n as u64 > limit {
        return Err(IngestError::TooLarge {
            size: n as u64,
            limit,
        });
    }
    Ok(buf)
}

/// Undo gzip (possibly several layers deep is not supported: one layer) and enforce the size limit.
pub fn decompress<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Cow<'a, [u8]>, IngestError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    if bytes.starts_with(&GZIP_MAGIC) {
        let decoder = flate2::read::MultiGzDecoder::new(bytes);
        let out = read_limited(decoder, limits.max_bytes).map_err(|e| match e {
            IngestError::Io { message } => IngestError::Encoding {
                message: format!("broken gzip stream: {message}"),
            },
            other => other,
        })?;
        return Ok(Cow::Owned(out));
    }
    Ok(Cow::Borrowed(bytes))
}

/// Turn raw bytes into UTF-8 text: strip a UTF-8 BOM, transcode UTF-16 LE/BE (with a BOM, or
/// without one when the zero-byte pattern is unmistakable), and reject invalid UTF-8 with the
/// line and column of the first bad byte.
pub fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, IngestError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return utf8(&bytes[3..]);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) && !bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return utf16(&bytes[2..], u16::from_le_bytes).map(Cow::Owned);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(&bytes[2..], u16::from_be_bytes).map(Cow::Owned);
    }
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(IngestError::Encoding {
            message: "UTF-32 is not supported; convert the file to UTF-8".into(),
        });
    }
    // BOM-less UTF-16: an ASCII first character followed (LE) or preceded (BE) by a zero byte.
    if bytes.len() >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
        return utf16(bytes, u16::from_le_bytes).map(Cow::Owned);
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 {
        return utf16(bytes, u16::from_be_bytes).map(Cow::Owned);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, IngestError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let valid = e.valid_up_to();
            // Safe: the prefix up to `valid` is valid UTF-8 by definition.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
            let (line, column) = line_col(prefix, prefix.len());
            Err(IngestError::Encoding {
                message: format!(
                    "invalid UTF-8 at line {line}, column {column} (byte {valid}); \
                     bomvet reads UTF-8 and UTF-16 with a byte-order mark"
                ),
            })
        }
    }
}

fn utf16(bytes: &[u8], conv: fn([u8; 2]) -> u16) -> Result<String, IngestError> {
    if bytes.len() % 2 != 0 {
        return Err(IngestError::Encoding {
            message: "UTF-16 input has an odd number of bytes (truncated?)".into(),
        });
    }
    let units = bytes.chunks_exact(2).map(|c| conv([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(IngestError::Encoding {
                    message: format!("unpaired UTF-16 surrogate at code unit {i}"),
                })
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn utf8_bom_is_stripped() {
        assert_eq!(decode_text(b"\xEF\xBB\xBF{}").unwrap(), "{}");
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let text = "{\"bomFormat\":\"CycloneDX\"}";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_text(&le).unwrap(), text);
        assert_eq!(decode_text(&be).unwrap(), text);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let mut le = Vec::new();
        for u in "{\"a\":1}".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&le).unwrap(), "{\"a\":1}");
    }

    #[test]
    fn odd_utf16_is_an_error() {
        assert!(matches!(
            decode_text(&[0xFF, 0xFE, b'{']),
            Err(IngestError::Encoding { .. })
        ));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode_text(b"{\n  \"a\": \"\xC3\x28\"}").unwrap_err();
        match err {
            IngestError::Encoding { message } => assert!(message.contains("line 2"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn gzip_is_transparent_and_limited() {
        let data = b"{\"spdxVersion\":\"SPDX-2.3\"}".repeat(100);
        let gz = gzip(&data);
        let limits = Limits::default();
        assert_eq!(&*decompress(&gz, &limits).unwrap(), &data[..]);
        let small = Limits {
            max_bytes: 100,
            ..Limits::default()
        };
        assert!(matches!(
            decompress(&gz, &small),
            Err(IngestError::TooLarge { .. })
        ));
    }

    #[test]
    fn truncated_gzip_is_an_encoding_error() {
        let gz = gzip(&b"hello world ".repeat(1000));
        let cut = &gz[..gz.len() / 2];
        assert!(matches!(
            decompress(cut, &Limits::default()),
            Err(IngestError::Encoding { .. })
        ));
    }
}

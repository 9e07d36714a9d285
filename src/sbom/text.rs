//! [`Text`]: the string type of the model, and the [`Arena`] its strings are copied into.
//!
//! An SBOM of a million components holds tens of millions of short strings (names, versions,
//! purls, hashes). Copying each into its own heap allocation dominated ingestion time and
//! tripled memory. A [`Text`] is instead, in order of preference:
//! - a range of a shared block: a chunk of the document's [`Arena`], where the builder copies
//!   every string the model keeps (a string the arena saw a moment ago is stored once), or a
//!   slice of an input [`Buffer`] (shared by reference count, so nothing is allocated per
//!   string);
//! - a `&'static str` (constants such as normalised hash algorithm names);
//! - an owned `Box<str>` for everything computed (unescaped, trimmed, lower-cased, joined) that
//!   does not go through a builder, and strings too long for a chunk.
//!
//! The builder copies rather than borrows from the input so that the input can go as soon as
//! it is read ([`Buffer::release_before`]): the strings a model keeps are a fraction of the
//! input's bytes, and a mapped input of a million components no longer stays resident for as
//! long as its model (docs/PERFORMANCE.md, step 12).
//!
//! It dereferences to `str`, compares, hashes and orders as its string, and prints as one, so
//! code downstream of ingestion reads it like a `&str`.
//!
//! # Representation
//!
//! A `Text` is two words (16 bytes, and `Option<Text>` too), where the obvious enum of the three
//! cases is three: the model holds about a dozen strings per component, so at a million
//! components the third word was over 100 MB (docs/PERFORMANCE.md). The first word is a
//! non-null pointer, the second packs a 2-bit tag with the length (and, for a slice of the
//! buffer, its start):
//!
//! | tag | pointer | low 62 bits |
//! |---|---|---|
//! | `STATIC` | the string's first byte | length |
//! | `OWNED` | the first byte of a leaked `Box<str>` | length |
//! | `SHARED` | the block's `Arc` from `Arc::into_raw` (one strong count) | start (32 bits) above length (30 bits) |
//!
//! A slice of a buffer that does not fit (start beyond 4 GiB, length of 1 GiB or more) is
//! copied into an owned text instead.
//!
//! A shared block is an input buffer (decoded text on the heap, or a file mapped into memory,
//! [`FileMap`]) or an arena chunk, whose bytes are each written once, before any text covers
//! them.
//!
//! This module holds the `unsafe` code of the crate (the only other `unsafe` blocks call
//! [`FileMap::map`] or opt into it); the invariants are stated where they are relied on, and
//! the tests below exercise every construction, clone and drop path; `.ci/run` also runs them
//! under Miri (all but the one that maps a file, which Miri cannot).

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Arc;

/// The decoded input text of one document, shared by every [`Text`] that borrows from it.
#[derive(Clone)]
pub struct Buffer(Arc<Source>);

/// What a shared [`Text`] points into: the input text decoded onto the heap, a read-only map of
/// a file whose bytes were valid UTF-8 when they were checked, or a chunk of a builder's
/// [`Arena`].
enum Source {
    Heap(String),
    Mapped(FileMap),
    Chunk(Chunk),
}

impl Source {
    /// The first byte. Shared texts are ranges from here.
    fn base(&self) -> *const u8 {
        match self {
            Source::Heap(s) => s.as_ptr(),
            Source::Mapped(m) => m.bytes().as_ptr(),
            Source::Chunk(c) => c.ptr.as_ptr(),
        }
    }

    /// The whole text of an input buffer; empty for an arena chunk, which is never a
    /// [`Buffer`] (its bytes are written while texts of it are alive, so no reference to all
    /// of it is ever made).
    fn as_str(&self) -> &str {
        match self {
            Source::Heap(s) => s,
            // SAFETY: a `Source::Mapped` is made only by `Buffer::from_map`, after
            // `std::str::from_utf8` accepted the mapped bytes; see `FileMap` for what a
            // concurrent writer of the file could do to that.
            Source::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m.bytes()) },
            Source::Chunk(_) => "",
        }
    }
}

/// A file mapped read-only into memory ([`Buffer::from_map`]).
///
/// Reading a large SBOM through a map takes its bytes straight from the page cache: no copy,
/// and no fresh memory for the kernel to zero, which on the machines measured in
/// docs/PERFORMANCE.md cost as much as parsing the bytes. The price is the one every mapped
/// reader pays: the bytes are the file's, so if another process truncates the file while it is
/// mapped, touching the lost pages kills the process (`SIGBUS`), and if it rewrites the file
/// the text may change after it was checked as UTF-8. Making one is therefore `unsafe`
/// ([`FileMap::map`]), and so is asking the readers to make them
/// ([`ReadOptions::with_mapped_files`](crate::sbom::ReadOptions::with_mapped_files)). The
/// command line does, for regular files of at least [`FileMap::MIN_LEN`] bytes, and offers
/// `--no-mmap` for inputs that may be written while bomvet reads them.
#[derive(Debug)]
pub struct FileMap(memmap2::Mmap);

impl FileMap {
    /// Files smaller than this are read, not mapped: their copy is cheap, and a batch of many
    /// small SBOMs keeps to plain reads rather than a map and an unmap per file.
    pub const MIN_LEN: u64 = 1 << 20;

    /// Map `file` read-only, with its pages populated up front (one system call instead of a
    /// page fault per page).
    ///
    /// # Safety
    ///
    /// Nothing may truncate or modify the file while the map, or any [`Buffer`] or [`Text`]
    /// made from it, is alive: a truncation makes reading the lost pages raise `SIGBUS`, and a
    /// modification can break the UTF-8 validity of texts checked before it.
    pub unsafe fn map(file: &std::fs::File) -> std::io::Result<FileMap> {
        // SAFETY: the map is read-only and this process never writes the file; the caller
        // guarantees that no one else does while it is alive (see above).
        let map = unsafe { memmap2::MmapOptions::new().populate().map(file)? };
        Ok(FileMap(map))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A block of bytes that an [`Arena`] fills from the front, each byte written once.
///
/// It is an allocation of its own rather than a `String` or `Vec` because it is written after
/// texts of it have been handed out: the arena writes only bytes past every range any text
/// covers, through the raw pointer it was allocated with, and texts read only their own
/// ranges. No reference to the whole block is ever made.
struct Chunk {
    ptr: NonNull<u8>,
    cap: usize,
}

impl Chunk {
    fn layout(cap: usize) -> std::alloc::Layout {
        // `cap` is at most `Arena::CHUNK_MAX`, far below `isize::MAX`.
        std::alloc::Layout::array::<u8>(cap).expect("chunk size fits a layout")
    }

    fn new(cap: usize) -> Chunk {
        debug_assert!(cap > 0);
        let layout = Chunk::layout(cap);
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { std::alloc::alloc(layout) };
        let Some(ptr) = NonNull::new(raw) else {
            std::alloc::handle_alloc_error(layout)
        };
        Chunk { ptr, cap }
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: allocated by `Chunk::new` with this layout, freed only here.
        unsafe { std::alloc::dealloc(self.ptr.as_ptr(), Chunk::layout(self.cap)) }
    }
}

// SAFETY: a chunk owns its allocation. Its bytes are written only by the one `Arena` that made
// it (which is not `Sync`), and only bytes that no `Text` covers yet; texts on any thread read
// only bytes written before they were made, so no byte is ever written and read concurrently.
unsafe impl Send for Chunk {}
unsafe impl Sync for Chunk {}

/// Where a builder copies the model's strings: chunks of bytes, each string written once and
/// shared by the [`Text`]s made of it.
///
/// Copying rather than borrowing from the input lets the input go as soon as it is read (see
/// [`Buffer::release_before`]): a mapped input of a million components no longer stays
/// resident for as long as its model lives, and the strings a model keeps (names, versions,
/// purls, hashes...) are a fraction of its bytes. Chunks start small, so that a batch of small
/// documents stays small, and double up to [`Arena::CHUNK_MAX`]; a string longer than an
/// eighth of that gets an allocation of its own.
pub struct Arena {
    chunk: Option<Arc<Source>>,
    /// The current chunk's first byte (the pointer it was allocated with) and size.
    base: *mut u8,
    cap: usize,
    /// Bytes of the current chunk already written.
    used: usize,
    /// Size of the next chunk.
    next_cap: usize,
    /// The last text made for each of [`Arena::RECENT`] hash slots (empty until the first
    /// chunk is made).
    recent: Vec<Text>,
}

// SAFETY: the raw pointer is the current chunk's, which the arena's `Arc` keeps alive; moving
// the arena to another thread moves the only writer with it.
unsafe impl Send for Arena {}

impl Default for Arena {
    fn default() -> Arena {
        Arena::new()
    }
}

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Arena({} of {} bytes used)", self.used, self.cap)
    }
}

impl Arena {
    /// The first chunk's size.
    pub const CHUNK_MIN: usize = 4 << 10;
    /// The largest chunk's size.
    pub const CHUNK_MAX: usize = 1 << 20;

    pub fn new() -> Arena {
        Arena {
            chunk: None,
            base: std::ptr::null_mut(),
            cap: 0,
            used: 0,
            next_cap: Arena::CHUNK_MIN,
            recent: Vec::new(),
        }
    }

    /// Slots of the cache of recent texts.
    pub const RECENT: usize = 4096;

    /// `s` as a [`Text`] in a chunk (the empty string and long strings are not put in one).
    ///
    /// A string equal to the last one that fell in its slot of a small cache (one per
    /// [`Arena::RECENT`] hash slots) is not copied again: the few values that repeat across a
    /// document (suppliers, licences, property names, component types, a purl that is also the
    /// bom-ref) are stored once each, while a unique value only overwrites its slot.
    pub fn text(&mut self, s: &str) -> Text {
        if s.is_empty() {
            return Text::empty();
        }
        if s.len() > Arena::CHUNK_MAX / 8 {
            return Text::from(s);
        }
        if self.recent.is_empty() {
            self.recent = vec![Text::empty(); Arena::RECENT];
        }
        let slot = {
            let mut h = rustc_hash::FxHasher::default();
            h.write(s.as_bytes());
            (h.finish() >> 32) as usize % Arena::RECENT
        };
        if self.recent[slot].as_str() == s {
            return self.recent[slot].clone();
        }
        let t = self.copy(s);
        self.recent[slot] = t.clone();
        t
    }

    /// `s` copied into the current chunk, or a new one when it does not fit.
    fn copy(&mut self, s: &str) -> Text {
        if self.cap - self.used < s.len() {
            let cap = self.next_cap;
            self.next_cap = (cap * 2).min(Arena::CHUNK_MAX);
            let chunk = Chunk::new(cap);
            self.base = chunk.ptr.as_ptr();
            self.cap = cap;
            self.used = 0;
            self.chunk = Some(Arc::new(Source::Chunk(chunk)));
        }
        let start = self.used;
        // SAFETY: `start + s.len() <= cap`, so the destination lies inside the current chunk,
        // past every byte written before (which are all the bytes any text of it covers); the
        // source is a `&str`, which cannot overlap a chunk no reference was made to.
        unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), self.base.add(start), s.len()) };
        self.used += s.len();
        let chunk = self.chunk.as_ref().expect("a chunk was made above");
        // A chunk is at most `CHUNK_MAX` bytes, so the range always packs.
        Text::shared(chunk, start, s.len()).unwrap_or_else(|| Text::from(s))
    }
}

impl Buffer {
    pub fn new(text: String) -> Buffer {
        Buffer(Arc::new(Source::Heap(text)))
    }

    /// The mapped file as a buffer when its bytes are valid UTF-8; the map back otherwise.
    pub fn from_map(map: FileMap) -> Result<Buffer, FileMap> {
        if std::str::from_utf8(map.bytes()).is_err() {
            return Err(map);
        }
        Ok(Buffer(Arc::new(Source::Mapped(map))))
    }

    /// Whether this buffer is a mapped file.
    pub fn is_mapped(&self) -> bool {
        matches!(*self.0, Source::Mapped(_))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Give the memory of a mapped buffer's pages that lie wholly before byte `offset` back to
    /// the page cache (`madvise(MADV_DONTNEED)`): the model's strings are copies
    /// ([`Arena`]), so once a reader has passed a part of its input nothing needs it in memory,
    /// and a million-component input no longer stays resident for the whole run. A page
    /// touched again (an error message that counts lines from the start, say) is read back
    /// from the file, the same bytes. Does nothing for a buffer on the heap, or when the
    /// system refuses.
    pub fn release_before(&self, offset: usize) {
        #[cfg(unix)]
        if let Source::Mapped(m) = &*self.0 {
            const PAGE: usize = 4096;
            let end = offset.min(m.bytes().len()) / PAGE * PAGE;
            if end > 0 {
                // SAFETY: the map is a read-only shared map of a file that nothing modifies
                // while it is alive (`FileMap::map`'s contract), so a page dropped here reads
                // back as the same bytes from the file: no reference into the map can see a
                // change. The range is page-aligned and inside the map.
                let _ = unsafe {
                    m.0.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, end)
                };
            }
        }
        #[cfg(not(unix))]
        let _ = offset;
    }

    /// `s` as a [`Text`]: a slice of this buffer when `s` lies inside it, else a copy.
    pub fn text(&self, s: &str) -> Text {
        let whole = self.0.as_str();
        let base = whole.as_ptr() as usize;
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(s.len());
        if start <= whole.len() && end <= whole.len() && end >= start {
            if let Some(t) = Text::shared(&self.0, start, s.len()) {
                return t;
            }
        }
        Text::from(s)
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Buffer({} bytes)", self.as_str().len())
    }
}

/// A string of the model. See the module documentation.
pub struct Text {
    ptr: NonNull<u8>,
    meta: u64,
}

const TAG_SHIFT: u32 = 62;
const STATIC: u64 = 0;
const OWNED: u64 = 1;
const SHARED: u64 = 2;
const LOW: u64 = (1 << TAG_SHIFT) - 1;
/// Bits of the length of a shared text; the start takes the 32 above them.
const SHARED_LEN_BITS: u32 = 30;
const SHARED_LEN_MAX: usize = (1 << SHARED_LEN_BITS) - 1;

// SAFETY: a `Text` owns (or shares by reference count) one of `&'static str`, `Box<str>` or
// the buffer's `Arc` (a `String` or a read-only map), all of which are `Send` and `Sync`; it
// offers no interior mutability.
unsafe impl Send for Text {}
unsafe impl Sync for Text {}

impl Text {
    /// The empty string (no allocation).
    pub const fn empty() -> Text {
        Text::from_static("")
    }

    /// A constant (no allocation).
    pub const fn from_static(s: &'static str) -> Text {
        // SAFETY: the pointer of a `&str` is never null (a dangling, aligned one when empty).
        let ptr = unsafe { NonNull::new_unchecked(s.as_ptr() as *mut u8) };
        Text {
            ptr,
            meta: (STATIC << TAG_SHIFT) | s.len() as u64,
        }
    }

    /// `buf[start..start + len]` shared with `buf`, or `None` when the range does not fit the
    /// packed form. The caller guarantees that the range lies inside `buf` on char boundaries
    /// (it comes from a `&str` that is a slice of `buf`).
    fn shared(buf: &Arc<Source>, start: usize, len: usize) -> Option<Text> {
        if len > SHARED_LEN_MAX || u32::try_from(start).is_err() {
            return None;
        }
        debug_assert!(
            matches!(**buf, Source::Chunk(_)) || buf.as_str().get(start..start + len).is_some()
        );
        let raw = Arc::into_raw(Arc::clone(buf));
        Some(Text {
            // SAFETY: `Arc::into_raw` never returns null.
            ptr: unsafe { NonNull::new_unchecked(raw as *mut u8) },
            meta: (SHARED << TAG_SHIFT) | ((start as u64) << SHARED_LEN_BITS) | len as u64,
        })
    }

    fn owned(s: Box<str>) -> Text {
        let len = s.len() as u64;
        Text {
            ptr: NonNull::from(Box::leak(s)).cast::<u8>(),
            meta: (OWNED << TAG_SHIFT) | len,
        }
    }

    fn tag(&self) -> u64 {
        self.meta >> TAG_SHIFT
    }

    /// Start and length of a shared text.
    fn range(&self) -> (usize, usize) {
        let low = self.meta & LOW;
        (
            (low >> SHARED_LEN_BITS) as usize,
            (low & SHARED_LEN_MAX as u64) as usize,
        )
    }

    /// The buffer of a shared text.
    fn buffer(&self) -> &Source {
        debug_assert_eq!(self.tag(), SHARED);
        // SAFETY: a shared text's pointer came from `Arc::into_raw` of an `Arc<Source>` whose
        // strong count this text holds until it is dropped, so the `Source` is alive.
        unsafe { &*(self.ptr.as_ptr() as *const Source) }
    }

    pub fn as_str(&self) -> &str {
        if self.tag() == SHARED {
            let (start, len) = self.range();
            let base = self.buffer().base();
            // SAFETY: built only by `Text::shared` from a range of the source that holds UTF-8
            // on char boundaries: a slice of an input buffer's `&str` (never mutated), or
            // bytes of an arena chunk copied from a `&str`, which the arena never writes again
            // (`Arena::text`).
            unsafe {
                std::str::from_utf8_unchecked(std::slice::from_raw_parts(base.add(start), len))
            }
        } else {
            let len = (self.meta & LOW) as usize;
            // SAFETY: static and owned texts point at the first byte of a live `str` of `len`
            // bytes (a `&'static str`, or a `Box<str>` this text owns).
            unsafe {
                std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr.as_ptr(), len))
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
        match self.tag() {
            SHARED => {
                let off = t.as_ptr() as usize - s.as_ptr() as usize;
                let (start, _) = self.range();
                let len = t.len();
                // Same buffer, same strong count: only the range shrinks.
                let meta = (SHARED << TAG_SHIFT)
                    | (((start + off) as u64) << SHARED_LEN_BITS)
                    | len as u64;
                let ptr = self.ptr;
                std::mem::forget(self);
                Text { ptr, meta }
            }
            STATIC => {
                // SAFETY: a static text's `str` lives for `'static`.
                let s: &'static str = unsafe {
                    std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                        self.ptr.as_ptr(),
                        (self.meta & LOW) as usize,
                    ))
                };
                Text::from_static(s.trim())
            }
            _ => Text::from(t),
        }
    }
}

impl Clone for Text {
    fn clone(&self) -> Text {
        match self.tag() {
            SHARED => {
                // SAFETY: the pointer is a live `Arc<Source>` (see `buffer`); the new text owns
                // the extra strong count.
                unsafe { Arc::increment_strong_count(self.ptr.as_ptr() as *const Source) };
                Text {
                    ptr: self.ptr,
                    meta: self.meta,
                }
            }
            OWNED => Text::owned(self.as_str().into()),
            _ => Text {
                ptr: self.ptr,
                meta: self.meta,
            },
        }
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        match self.tag() {
            // SAFETY: this text holds one strong count of the `Arc<Source>` it points at.
            SHARED => unsafe { Arc::decrement_strong_count(self.ptr.as_ptr() as *const Source) },
            OWNED => {
                let len = (self.meta & LOW) as usize;
                let raw = std::ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), len) as *mut str;
                // SAFETY: an owned text's pointer and length are those of the `Box<str>` it
                // was made from, and nothing else frees it.
                drop(unsafe { Box::from_raw(raw) });
            }
            _ => {}
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
            Text::owned(s.into_boxed_str())
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        if s.is_empty() {
            Text::empty()
        } else {
            Text::owned(s.into())
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
    fn text_and_option_of_text_are_two_words() {
        assert_eq!(std::mem::size_of::<Text>(), 16);
        assert_eq!(std::mem::size_of::<Option<Text>>(), 16);
    }

    #[test]
    fn slices_of_the_buffer_are_shared_and_others_copied() {
        let buf = Buffer::new("{\"name\": \"kav-sdk\"}".to_string());
        let inside = &buf.as_str()[10..17];
        let t = buf.text(inside);
        assert_eq!(t, "kav-sdk");
        assert_eq!((t.tag(), t.range()), (SHARED, (10, 7)));
        let outside = String::from("kav-sdk");
        let u = buf.text(&outside);
        assert_eq!(u.tag(), OWNED);
        assert_eq!(t, u);
        assert_eq!(Text::from("").as_str(), "");
        assert_eq!(Text::from("").tag(), STATIC);
        // The empty slice at the very end of the buffer is inside it too.
        let end = &buf.as_str()[buf.as_str().len()..];
        assert_eq!(buf.text(end), "");
    }

    #[test]
    fn shared_texts_hold_the_buffer_until_the_last_is_dropped() {
        let buf = Buffer::new("Kaspersky Anti-Virus SDK".to_string());
        let a = buf.text(&buf.as_str()[0..9]);
        let b = a.clone();
        let c = buf.text(&buf.as_str()[10..]).trimmed();
        assert_eq!(Arc::strong_count(&buf.0), 4);
        let weak = Arc::downgrade(&buf.0);
        drop(buf);
        drop(a);
        assert_eq!((b.as_str(), c.as_str()), ("Kaspersky", "Anti-Virus SDK"));
        drop(b);
        assert!(weak.upgrade().is_some());
        drop(c);
        assert!(
            weak.upgrade().is_none(),
            "the buffer outlived its last text"
        );
    }

    #[test]
    fn owned_and_static_texts_clone_and_drop() {
        let o = Text::from(String::from("Положительные Технологии"));
        let o2 = o.clone();
        assert_eq!(o2.tag(), OWNED);
        assert_ne!(o.ptr, o2.ptr, "an owned clone is a copy");
        drop(o);
        assert_eq!(o2, "Положительные Технологии");
        let s = Text::from_static("SHA256");
        let s2 = s.clone();
        assert_eq!((s2.tag(), s2.as_str()), (STATIC, "SHA256"));
        assert_eq!(Text::default(), "");
    }

    #[test]
    fn ranges_too_large_to_pack_are_copied() {
        let buf = Arc::new(Source::Heap(String::from("abc")));
        assert!(Text::shared(&buf, 0, SHARED_LEN_MAX + 1).is_none());
        assert!(Text::shared(&buf, u32::MAX as usize + 1, 0).is_none());
        assert_eq!(Arc::strong_count(&buf), 1, "a refused range takes no count");
        let t = Text::shared(&buf, 1, 2).expect("fits");
        assert_eq!(t, "bc");
    }

    /// A file in the temporary directory, removed when dropped.
    struct TempFile(std::path::PathBuf);

    impl TempFile {
        fn new(name: &str, bytes: &[u8]) -> TempFile {
            let path = std::env::temp_dir().join(format!("bomvet-{}-{name}", std::process::id()));
            std::fs::write(&path, bytes).expect("write the temporary file");
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri cannot map files")]
    fn a_mapped_file_is_a_buffer_whose_texts_outlive_it() {
        let f = TempFile::new(
            "mapped.json",
            "{\"name\": \"Лаборатория Касперского\"}".as_bytes(),
        );
        let file = std::fs::File::open(&f.0).expect("open");
        // SAFETY: the file is this test's own; nothing writes it while it is mapped.
        let map = unsafe { FileMap::map(&file) }.expect("map");
        let buf = Buffer::from_map(map).expect("valid UTF-8");
        drop(file);
        assert!(buf.is_mapped());
        let name = &buf.as_str()[10..buf.as_str().len() - 2];
        let t = buf.text(name);
        assert_eq!(t.tag(), SHARED);
        let weak = Arc::downgrade(&buf.0);
        drop(buf);
        assert_eq!(t, "Лаборатория Касперского");
        drop(t);
        assert!(weak.upgrade().is_none(), "the map outlived its last text");

        // Releasing pages of a map changes nothing that can be read from it.
        let text: String = (0..3000).map(|i| format!("{i:05},")).collect();
        let f = TempFile::new("release.json", text.as_bytes());
        let file = std::fs::File::open(&f.0).expect("open");
        // SAFETY: as above.
        let buf = Buffer::from_map(unsafe { FileMap::map(&file) }.expect("map")).expect("UTF-8");
        let before = Buffer::new(buf.as_str().to_string());
        buf.release_before(3 * 4096 + 10);
        buf.release_before(usize::MAX);
        assert_eq!(buf.as_str(), before.as_str());
        before.release_before(usize::MAX);

        let bad = TempFile::new("latin1.json", b"{\"name\": \"Caf\xe9\"}");
        let file = std::fs::File::open(&bad.0).expect("open");
        // SAFETY: as above.
        let back = Buffer::from_map(unsafe { FileMap::map(&file) }.expect("map"));
        let map = back.expect_err("invalid UTF-8 is handed back");
        assert_eq!(map.bytes().len(), 16);
    }

    #[test]
    fn trimmed_keeps_sharing() {
        let buf = Buffer::new("  Kaspersky Lab  ".to_string());
        let t = buf.text(buf.as_str()).trimmed();
        assert_eq!(t, "Kaspersky Lab");
        assert_eq!((t.tag(), t.range()), (SHARED, (2, 13)));
        assert_eq!(Arc::strong_count(&buf.0), 2);
        assert_eq!(Text::from(" x ").trimmed(), "x");
        let st = Text::from_static("  y ").trimmed();
        assert_eq!((st.tag(), st.as_str()), (STATIC, "y"));
        let same = Text::from("z");
        assert_eq!(same.trimmed(), "z");
    }

    #[test]
    fn texts_move_between_threads() {
        let buf = Buffer::new("one two".to_string());
        let texts: Vec<Text> = vec![buf.text(&buf.as_str()[..3]), Text::from("x")];
        drop(buf);
        let joined = std::thread::spawn(move || {
            texts
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join("+")
        })
        .join()
        .expect("thread");
        assert_eq!(joined, "one+x");
    }

    #[test]
    fn arena_texts_are_copies_that_outlive_the_arena() {
        let mut a = Arena::new();
        let src = String::from("Kaspersky Anti-Virus SDK");
        let t = a.text(&src[..9]);
        assert_eq!((t.tag(), t.as_str()), (SHARED, "Kaspersky"));
        assert_ne!(t.as_ptr(), src.as_ptr(), "an arena text is a copy");
        drop(src);
        let u = a.text("Лаборатория Касперского");
        let v = a.text("  Kaspersky Lab ").trimmed();
        assert_eq!((v.tag(), v.as_str()), (SHARED, "Kaspersky Lab"));
        drop(a);
        assert_eq!(t, "Kaspersky");
        assert_eq!(u, "Лаборатория Касперского");
        assert_eq!(v.clone(), "Kaspersky Lab");
    }

    #[test]
    fn arena_chunks_grow_and_long_strings_stand_alone() {
        let mut a = Arena::new();
        let texts: Vec<(String, Text)> = (0..1000)
            .map(|i| {
                let s = format!("component-{i}");
                let t = a.text(&s);
                (s, t)
            })
            .collect();
        assert!(texts.iter().all(|(s, t)| t == s));
        let chunks: std::collections::HashSet<_> = texts.iter().map(|(_, t)| t.ptr).collect();
        assert!(chunks.len() >= 2, "{} chunks for 14 kB", chunks.len());
        assert!(a.cap > Arena::CHUNK_MIN, "chunks double");
        let long = "x".repeat(Arena::CHUNK_MAX / 8 + 1);
        let l = a.text(&long);
        assert_eq!((l.tag(), l.len()), (OWNED, long.len()));
        assert_eq!(a.text("").tag(), STATIC);
        // A string that does not fit the rest of a chunk starts the next one.
        let room = a.cap - a.used;
        let big = "y".repeat(room + 1);
        let b = a.text(&big);
        assert_eq!((b.tag(), b.range()), (SHARED, (0, room + 1)));
    }

    #[test]
    fn arena_stores_a_repeated_string_once() {
        let mut a = Arena::new();
        let x = a.text("Apache-2.0");
        let y = a.text("pkg:npm/left-pad@1.3.0");
        let z = a.text(&String::from("Apache-2.0"));
        assert_eq!(x.as_ptr(), z.as_ptr());
        assert_ne!(x.as_ptr(), y.as_ptr());
        // Whatever the cache holds or forgets, every text reads as what was given.
        let words: Vec<String> = (0..600).map(|i| format!("w{}", i % 37)).collect();
        let made: Vec<Text> = words.iter().map(|w| a.text(w)).collect();
        assert!(made.iter().zip(&words).all(|(t, w)| t == w));
    }

    #[test]
    fn arena_texts_are_read_on_other_threads_while_it_writes() {
        let mut a = Arena::new();
        let first = a.text("first");
        let reader =
            std::thread::spawn(move || (0..50).map(|_| first.as_str().len()).sum::<usize>());
        let more: Vec<Text> = (0..300).map(|i| a.text(&format!("more-{i}"))).collect();
        assert_eq!(reader.join().expect("thread"), 250);
        assert_eq!(more[299], "more-299");
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

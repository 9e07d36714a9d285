//! The one HTTP client bomvet has: registry updates and SBOMs given as URLs. `reqwest` (rustls)
//! on a current-thread `tokio` runtime, with a connect timeout, a total timeout per attempt, a
//! size cap checked on `Content-Length` and while streaming, retries with exponential backoff
//! on connection errors and 5xx answers only (never on 4xx, nor on a timeout: a stalled server
//! is not hammered), and `If-None-Match` when an ETag is known.
//!
//! Nothing here prints; progress is reported through a callback.

use std::sync::Once;
use std::time::Duration;

/// Limits and behaviour of a download.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    /// Whole request, headers and body, per attempt.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Retries after the first attempt (connection errors and 5xx only).
    pub retries: u32,
    /// Delay before the first retry; doubled for each further one.
    pub retry_delay: Duration,
    /// Forbid every network access.
    pub offline: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_bytes: 64 << 20,
            retries: 3,
            retry_delay: Duration::from_millis(500),
            offline: false,
        }
    }
}

/// What a download gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
    },
    /// 304: the ETag sent still matches.
    NotModified,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum FetchError {
    #[error("network access is disabled (--offline): {url}")]
    Offline { url: String },
    #[error("{url} is not an http:// or https:// URL")]
    BadUrl { url: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the response is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: timed out ({message})")]
    Timeout { url: String, message: String },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("cannot start the network runtime: {0}")]
    Runtime(String),
}

impl FetchError {
    /// Short machine-readable kind, for report error entries.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Offline { .. } => "offline",
            FetchError::BadUrl { .. } => "bad-url",
            FetchError::Status { .. } => "http-status",
            FetchError::TooLarge { .. } => "too-large",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Transport { .. } | FetchError::Runtime(_) => "network",
        }
    }

    fn retryable(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status >= 500,
            FetchError::Transport { .. } => true,
            _ => false,
        }
    }
}

/// Whether an input string is a URL bomvet fetches.
pub fn is_url(s: &str) -> bool {
    let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Progress of one download: (bytes so far, total if announced).
pub type Progress<'a> = &'a (dyn Fn(u64, Option<u64>) + Sync);

fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only when a provider is already installed, which is what we want anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Download `url` (GET), sending `If-None-Match: etag` when given.
pub fn fetch(
    url: &str,
    etag: Option<&str>,
    opts: &FetchOptions,
    progress: Option<Progress<'_>>,
) -> Result<Fetched, FetchError> {
    if opts.offline {
        return Err(FetchError::Offline { url: url.into() });
    }
    if !is_url(url) {
        return Err(FetchError::BadUrl { url: url.into() });
    }
    install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| FetchError::Runtime(e.to_string()))?;
    rt.block_on(fetch_async(url, etag, opts, progress))
}

async fn fetch_async(
    url: &str,
    etag: Option<&str>,
    opts: &FetchOptions,
    progress: Option<Progress<'_>>,
) -> Result<Fetched, FetchError> {
    let client = reqwest::Client::builder()
        .connect_timeout(opts.connect_timeout)
        .timeout(opts.timeout)
        .user_agent(concat!("bomvet/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Transport {
            url: url.into(),
            message: chain(&e),
        })?;
    let mut delay = opts.retry_delay;
    let mut attempt = 0;
    loop {
        match once(&client, url, etag, opts, progress).await {
            Err(e) if e.retryable() && attempt < opts.retries => {
                attempt += 1;
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
            other => return other,
        }
    }
}

async fn once(
    client: &reqwest::Client,
    url: &str,
    etag: Option<&str>,
    opts: &FetchOptions,
    progress: Option<Progress<'_>>,
) -> Result<Fetched, FetchError> {
    let mut req = client.get(url);
    if let Some(e) = etag {
        req = req.header(reqwest::header::IF_NONE_MATCH, e);
    }
    let mut resp = req.send().await.map_err(|e| transport(url, &e))?;
    let status = resp.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(FetchError::Status {
            url: url.into(),
            status,
        });
    }
    let too_large = || FetchError::TooLarge {
        url: url.into(),
        limit: opts.max_bytes,
    };
    let total = resp.content_length();
    if total.is_some_and(|n| n > opts.max_bytes) {
        return Err(too_large());
    }
    let etag = resp
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let cap = usize::try_from(total.unwrap_or(0).min(opts.max_bytes)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(cap);
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport(url, &e))? {
        if (bytes.len() + chunk.len()) as u64 > opts.max_bytes {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
        if let Some(p) = progress {
            p(bytes.len() as u64, total);
        }
    }
    Ok(Fetched::Body { bytes, etag })
}

/// The error and its causes on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        src = c.source();
    }
    s
}

fn transport(url: &str, e: &reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout {
            url: url.into(),
            message: chain(e),
        }
    } else {
        FetchError::Transport {
            url: url.into(),
            message: chain(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_urls() {
        assert!(is_url("https://example.invalid/a.json"));
        assert!(is_url("HTTP://x"));
        assert!(!is_url("file:///etc/passwd"));
        assert!(!is_url("sbom.json"));
        assert!(!is_url("-"));
    }

    #[test]
    fn offline_refuses_before_any_connection() {
        let opts = FetchOptions {
            offline: true,
            ..Default::default()
        };
        assert_eq!(
            fetch("http://127.0.0.1:9/x", None, &opts, None)
                .unwrap_err()
                .kind(),
            "offline"
        );
    }

    #[test]
    fn only_connection_errors_and_5xx_are_retried() {
        let s = |status| FetchError::Status {
            url: "u".into(),
            status,
        };
        assert!(s(500).retryable() && s(503).retryable());
        assert!(!s(404).retryable() && !s(403).retryable());
        assert!(!FetchError::Timeout {
            url: "u".into(),
            message: String::new()
        }
        .retryable());
    }
}
